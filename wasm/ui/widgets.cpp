#include "widgets.hpp"

#include <imgui_internal.h>

namespace videochat::ui {

namespace {
bool g_enter = false, g_escape = false;  // this frame's presses, from the GLFW key callback
}  // namespace

void note_key_presses(bool enter, bool escape) {
  g_enter = enter;
  g_escape = escape;
}

bool enter_pressed() {
  return g_enter || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
         ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
}

bool escape_pressed() {
  return g_escape || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
}

bool colored_button(const char* label, ImVec4 color, ImVec2 size) {
  auto shade = [&](float amount) {
    return ImVec4(color.x * amount, color.y * amount, color.z * amount, color.w);
  };
  ImGui::PushStyleColor(ImGuiCol_Button, color);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, shade(1.15f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, shade(0.85f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  return pressed;
}

bool windows_still_hidden() {
  for (const ImGuiWindow* window : GImGui->Windows) {
    if (window->Active &&
        (window->HiddenFramesCanSkipItems > 0 || window->HiddenFramesCannotSkipItems > 0)) {
      return true;
    }
  }
  return false;
}

void centered_text(ImVec2 min, ImVec2 size, const char* text, ImU32 color) {
  ImVec2 text_size = ImGui::CalcTextSize(text, nullptr, false, size.x - 16);
  ImVec2 at(min.x + (size.x - text_size.x) / 2, min.y + (size.y - text_size.y) / 2);
  ImGui::GetWindowDrawList()->AddText(nullptr, 0, at, color, text, nullptr, size.x - 16);
}

}  // namespace videochat::ui
