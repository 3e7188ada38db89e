#include "widgets.hpp"

#include <imgui_internal.h>

#include <utility>

namespace videochat::ui {

bool windows_still_hidden() {
  for (const ImGuiWindow* window : GImGui->Windows) {
    if (window->Active &&
        (window->HiddenFramesCanSkipItems > 0 || window->HiddenFramesCannotSkipItems > 0)) {
      return true;
    }
  }
  return false;
}

namespace {
bool g_another_frame = false;
}  // namespace

void ask_for_another_frame() {
  g_another_frame = true;
}

bool another_frame_asked() {
  return std::exchange(g_another_frame, false);
}

bool dimming_fades_in() {
  return ImGui::GetTopMostPopupModal() != nullptr && GImGui->DimBgRatio < 1.0f;
}

void skip_animations() {
  GImGui->DimBgRatio = 1.0f;
}

void centered_text(ImVec2 min, ImVec2 size, const char* text, ImU32 color) {
  ImVec2 text_size = ImGui::CalcTextSize(text, nullptr, false, size.x - 16);
  ImVec2 at(min.x + (size.x - text_size.x) / 2, min.y + (size.y - text_size.y) / 2);
  ImGui::GetWindowDrawList()->AddText(nullptr, 0, at, color, text, nullptr, size.x - 16);
}

}  // namespace videochat::ui
