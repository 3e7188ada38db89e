#include <imgui.h>

#include "views.hpp"

namespace videochat::ui {

// A calm dark theme: one accent colour, generous spacing, rounded controls.
void apply_theme(bool touch) {
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowPadding = ImVec2(20, 20);
  // A 16 px font: frames 32 px high for a mouse, 44 for a finger (WCAG's enhanced target size).
  style.FramePadding = ImVec2(12, touch ? 14 : 8);
  style.ItemSpacing = ImVec2(10, 10);
  style.WindowRounding = 0;
  style.FrameRounding = 6;
  style.GrabRounding = 6;
  style.PopupRounding = 8;
  style.WindowBorderSize = 0;
  style.PopupBorderSize = 1;

  ImVec4* colors = style.Colors;
  const ImVec4 accent(0.27f, 0.52f, 0.96f, 1.0f);
  const ImVec4 accent_hover(0.36f, 0.60f, 1.0f, 1.0f);
  const ImVec4 accent_active(0.20f, 0.43f, 0.85f, 1.0f);
  // The main window is see-through: the page's own background (the same colour) and the video
  // pictures under the canvas show through it.
  colors[ImGuiCol_WindowBg] = ImVec4(0.07f, 0.08f, 0.10f, 0.0f);
  colors[ImGuiCol_ChildBg] = ImVec4(0.11f, 0.12f, 0.15f, 1.0f);
  colors[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.18f, 1.0f);
  colors[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.6f);
  colors[ImGuiCol_Text] = ImVec4(0.92f, 0.93f, 0.95f, 1.0f);
  colors[ImGuiCol_TextDisabled] = ImVec4(0.55f, 0.58f, 0.63f, 1.0f);
  colors[ImGuiCol_FrameBg] = ImVec4(0.15f, 0.16f, 0.20f, 1.0f);
  colors[ImGuiCol_FrameBgHovered] = ImVec4(0.19f, 0.21f, 0.26f, 1.0f);
  colors[ImGuiCol_FrameBgActive] = ImVec4(0.22f, 0.24f, 0.30f, 1.0f);
  colors[ImGuiCol_Button] = ImVec4(0.18f, 0.20f, 0.25f, 1.0f);
  colors[ImGuiCol_ButtonHovered] = ImVec4(0.24f, 0.27f, 0.33f, 1.0f);
  colors[ImGuiCol_ButtonActive] = ImVec4(0.28f, 0.31f, 0.38f, 1.0f);
  colors[ImGuiCol_CheckMark] = accent;
  colors[ImGuiCol_PlotHistogram] = ImVec4(0.30f, 0.78f, 0.45f, 1.0f);
  colors[ImGuiCol_NavHighlight] = accent_hover;
  colors[ImGuiCol_TextSelectedBg] = ImVec4(accent.x, accent.y, accent.z, 0.35f);
  colors[ImGuiCol_Header] = accent_active;
  colors[ImGuiCol_HeaderHovered] = accent;
  colors[ImGuiCol_HeaderActive] = accent_hover;
  colors[ImGuiCol_Separator] = ImVec4(0.22f, 0.24f, 0.28f, 1.0f);
}

}  // namespace videochat::ui
