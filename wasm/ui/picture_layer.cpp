#include "picture_layer.hpp"

#include <imgui_internal.h>

namespace videochat::ui {

std::vector<client::PageRect> PictureLayer::covering_windows() {
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::GetTopMostPopupModal() != nullptr) {
    return {{0, 0, io.DisplaySize.x, io.DisplaySize.y}};
  }
  std::vector<client::PageRect> covering;
  for (ImGuiWindow* window : GImGui->Windows) {
    const bool floating = window->Flags & (ImGuiWindowFlags_Popup | ImGuiWindowFlags_Tooltip);
    if (floating && window->Active && !window->Hidden) {
      covering.push_back({window->Pos.x, window->Pos.y, window->Size.x, window->Size.y});
    }
  }
  return covering;
}

}  // namespace videochat::ui
