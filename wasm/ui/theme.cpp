#include <imgui.h>

#include "views.hpp"
#include "widgets.hpp"

namespace videochat::ui {

namespace {
const client::Palette* g_palette = &client::dark_palette();
}  // namespace

const client::Palette& palette() {
  return *g_palette;
}

ImVec4 im(client::Color color) {
  return ImVec4(color.r, color.g, color.b, color.a);
}

// A calm theme, dark or light: one accent colour, generous spacing, rounded controls. The colours
// are the palette's (core/palette.hpp), whose contrast the unit tests check.
void apply_theme(bool touch, bool light) {
  g_palette = light ? &client::light_palette() : &client::dark_palette();
  const client::Palette& p = *g_palette;
  if (light) {
    ImGui::StyleColorsLight();
  } else {
    ImGui::StyleColorsDark();
  }
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
  // The main window is see-through: the page's own background (the same colour) and the video
  // pictures under the canvas show through it.
  colors[ImGuiCol_WindowBg] = ImVec4(p.page.r, p.page.g, p.page.b, 0);
  colors[ImGuiCol_ChildBg] = im(p.surface);
  colors[ImGuiCol_PopupBg] = im(p.surface);
  colors[ImGuiCol_ModalWindowDimBg] = im(p.dim);
  colors[ImGuiCol_Text] = im(p.text);
  colors[ImGuiCol_TextDisabled] = im(p.muted_text);
  colors[ImGuiCol_FrameBg] = im(p.field);
  colors[ImGuiCol_FrameBgHovered] = im(p.field_hovered);
  colors[ImGuiCol_FrameBgActive] = im(p.field_hovered);
  colors[ImGuiCol_Button] = im(p.button);
  colors[ImGuiCol_ButtonHovered] = im(p.button_hovered);
  colors[ImGuiCol_ButtonActive] = im(p.button_active);
  colors[ImGuiCol_CheckMark] = im(p.check_mark);
  colors[ImGuiCol_Separator] = im(p.button_active);
  colors[ImGuiCol_Border] = im(p.button_active);
}

}  // namespace videochat::ui
