#include "controls.hpp"

#include <imgui_internal.h>

#include <cmath>

#include "widgets.hpp"

namespace videochat::ui {

namespace {

client::UiBox last_item_box() {
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  return {min.x, min.y, max.x - min.x, max.y - min.y};
}

// The dialog being drawn (its id is its ImGui window's name), or "" for the page: a dialog's
// controls and texts are the dialog's elements.
std::string enclosing_dialog() {
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  return (window->Flags & ImGuiWindowFlags_Modal) ? window->Name : "";
}

bool last_item_disabled() {
  return (GImGui->LastItemData.InFlags & ImGuiItemFlags_Disabled) != 0;
}

// Whether `label` drawn with the frame's padding is wider than `width`.
bool too_wide(const std::string& label, float width) {
  return ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x > width + 0.5f;
}

// The node of the item just drawn, added to the mirror; returns whether it was activated.
// `drawn_label`: the name is drawn as the control's label (an icon button's is not: it cannot be
// clipped).
bool add_control(Mirror& mirror, const std::string& id, client::UiRole role,
                 const std::string& name, bool pressed, bool drawn_label = true) {
  client::UiNode node;
  node.id = id;
  node.role = role;
  node.name = name;
  node.box = last_item_box();
  // A checkbox's item holds its label; a button must.
  node.clipped = drawn_label && role != client::UiRole::kCheckbox && too_wide(name, node.box.width);
  node.pressed = pressed;
  node.disabled = last_item_disabled();
  node.parent = enclosing_dialog();
  mirror.add(std::move(node));
  return mirror.activated(id) && !last_item_disabled();
}

void push_button_colors(ImVec4 color, ImVec4 text) {
  auto shade = [&](float amount) {
    return ImVec4(color.x * amount, color.y * amount, color.z * amount, color.w);
  };
  ImGui::PushStyleColor(ImGuiCol_Button, color);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, shade(0.92f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, shade(0.85f));
  ImGui::PushStyleColor(ImGuiCol_Text, text);
}

}  // namespace

namespace {

void draw_icon(ImDrawList* draw, Icon icon, ImVec2 min, float size, ImU32 color) {
  const ImVec2 center(min.x + size / 2, min.y + size / 2);
  const float r = size * 0.28f;
  switch (icon) {
    case Icon::kInfo:
      draw->AddCircle(center, r + 1, color, 0, 1.5f);
      draw->AddCircleFilled(ImVec2(center.x, center.y - r * 0.5f), 1.6f, color);
      draw->AddLine(ImVec2(center.x, center.y - r * 0.1f), ImVec2(center.x, center.y + r * 0.6f),
                    color, 2);
      break;
    case Icon::kPin:
      draw->AddCircleFilled(ImVec2(center.x, center.y - r * 0.35f), r * 0.55f, color);
      draw->AddLine(ImVec2(center.x - r * 0.8f, center.y + r * 0.15f),
                    ImVec2(center.x + r * 0.8f, center.y + r * 0.15f), color, 2);
      draw->AddLine(ImVec2(center.x, center.y + r * 0.15f), ImVec2(center.x, center.y + r * 1.1f),
                    color, 1.5f);
      break;
    case Icon::kDevices:  // a gear
      draw->AddCircle(center, r * 0.75f, color, 0, 2);
      for (int i = 0; i < 6; ++i) {
        const float angle = static_cast<float>(i) * 3.14159265f / 3;
        const ImVec2 direction(std::cos(angle), std::sin(angle));
        draw->AddLine(
            ImVec2(center.x + direction.x * r * 0.75f, center.y + direction.y * r * 0.75f),
            ImVec2(center.x + direction.x * r * 1.2f, center.y + direction.y * r * 1.2f), color,
            2.5f);
      }
      break;
    case Icon::kFullScreen: {
      const float a = r, b = r * 0.45f;
      for (const float sx : {-1.0f, 1.0f}) {
        for (const float sy : {-1.0f, 1.0f}) {
          const ImVec2 corner(center.x + sx * a, center.y + sy * a);
          draw->AddLine(corner, ImVec2(corner.x - sx * b, corner.y), color, 1.5f);
          draw->AddLine(corner, ImVec2(corner.x, corner.y - sy * b), color, 1.5f);
        }
      }
      break;
    }
  }
}

}  // namespace

bool icon_button(Mirror& mirror, const std::string& id, const std::string& name, Icon icon,
                 ImVec2 min, float size, std::optional<bool> pressed) {
  ImGui::SetCursorScreenPos(min);
  ImGui::PushID(id.c_str());
  ImGui::InvisibleButton("##icon", ImVec2(size, size));
  ImGui::PopID();
  const bool on = pressed.value_or(false);
  // Over any picture: light on a dark square, or the pressed look when on.
  const ImU32 back = on ? ImGui::GetColorU32(im(palette().pressed))
                        : IM_COL32(0, 0, 0, ImGui::IsItemHovered() ? 200 : 150);
  const ImU32 fore =
      on ? ImGui::GetColorU32(im(palette().on_pressed)) : IM_COL32(255, 255, 255, 255);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(min, ImVec2(min.x + size, min.y + size), back, 6);
  draw_icon(draw, icon, min, size, fore);
  return add_control(mirror, id, pressed ? client::UiRole::kToggle : client::UiRole::kButton, name,
                     on, /*drawn_label=*/false);
}

bool button(Mirror& mirror, const std::string& id, const std::string& label, ImVec2 size,
            Emphasis emphasis) {
  const client::Palette& p = palette();
  if (emphasis == Emphasis::kAccent) push_button_colors(im(p.accent), im(p.on_accent));
  if (emphasis == Emphasis::kDanger) push_button_colors(im(p.danger), im(p.on_danger));
  ImGui::PushID(id.c_str());
  // What ImGui::Button returns is a click as ImGui saw it: the page's element reports the same
  // click (and Enter, Space, a tap, a screen reader) as an activation, which is what counts.
  ImGui::Button(label.c_str(), size);
  ImGui::PopID();
  if (emphasis != Emphasis::kNone) ImGui::PopStyleColor(4);
  return add_control(mirror, id, client::UiRole::kButton, label, false);
}

bool toggle(Mirror& mirror, const std::string& id, const std::string& label, bool pressed,
            ImVec2 size) {
  // Pressed, it is drawn light on the dark bar, like a switch that is on.
  if (pressed) push_button_colors(im(palette().pressed), im(palette().on_pressed));
  ImGui::PushID(id.c_str());
  ImGui::Button(label.c_str(), size);
  ImGui::PopID();
  if (pressed) ImGui::PopStyleColor(4);
  return add_control(mirror, id, client::UiRole::kToggle, label, pressed);
}

bool checkbox(Mirror& mirror, const std::string& id, const std::string& label, bool checked) {
  bool drawn = checked;  // ImGui flips its copy on a click; the mirror's activation counts
  ImGui::Checkbox(label.c_str(), &drawn);
  return add_control(mirror, id, client::UiRole::kCheckbox, label, checked);
}

void text_field(Mirror& mirror, const std::string& id, const std::string& label, std::string& value,
                const client::TextFieldInfo& info, float width) {
  if (auto typed = mirror.take_input(id)) value = std::move(*typed);
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 size(width, ImGui::GetFontSize() + 2 * style.FramePadding.y);
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const ImVec2 max(min.x + size.x, min.y + size.y);
  ImGui::Dummy(size);
  const bool hovered = ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(min, max);
  ImGui::GetWindowDrawList()->AddRectFilled(
      min, max, ImGui::GetColorU32(hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg),
      style.FrameRounding);

  client::UiNode node;
  node.id = id;
  node.role = client::UiRole::kTextField;
  node.name = label;
  node.box = {min.x, min.y, size.x, size.y};
  node.field = info;
  node.field.value = value;
  node.clipped = too_wide(info.placeholder, size.x);
  mirror.add(std::move(node));
}

void describe_last_item(Mirror& mirror, const std::string& id, client::UiRole role,
                        const std::string& text) {
  client::UiNode node;
  node.id = id;
  node.role = role;
  node.name = text;
  node.box = last_item_box();
  node.parent = enclosing_dialog();
  mirror.add(std::move(node));
}

void describe(Mirror& mirror, const std::string& id, client::UiRole role, const std::string& text,
              ImVec2 min, ImVec2 size, const std::string& parent) {
  client::UiNode node;
  node.id = id;
  node.role = role;
  node.name = text;
  node.box = {min.x, min.y, size.x, size.y};
  node.parent = parent;
  mirror.add(std::move(node));
}

}  // namespace videochat::ui
