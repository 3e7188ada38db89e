// The controls the screens are made of: each is drawn by ImGui and described to the DOM mirror in
// the same call, so the page's element for it sits exactly where it is drawn. A control acts when
// the mirror reports it activated (a click, a tap, Enter or Space on it, a screen reader): the
// page's elements take the pointer and the keyboard, ImGui only draws hover and pressed looks.
#pragma once

#include <imgui.h>

#include <optional>
#include <string>

#include "mirror.hpp"

namespace videochat::ui {

// How a button stands out: the main action of a screen, or one that ends something.
enum class Emphasis { kNone, kAccent, kDanger };

// A button. Returns whether it was activated.
bool button(Mirror& mirror, const std::string& id, const std::string& label, ImVec2 size,
            Emphasis emphasis = Emphasis::kNone);
// A button that stays pressed (aria-pressed): its label does not change with the state.
bool toggle(Mirror& mirror, const std::string& id, const std::string& label, bool pressed,
            ImVec2 size);
// A small square button over a picture (a tile's details, pin, full screen), drawn as an icon;
// `name` is what screen readers say. `pressed` for one that stays pressed (aria-pressed); a
// button that is never pressed passes std::nullopt.
enum class Icon { kInfo, kPin, kFullScreen, kDevices };
bool icon_button(Mirror& mirror, const std::string& id, const std::string& name, Icon icon,
                 ImVec2 min, float size, std::optional<bool> pressed);
// A checkbox with its label. Returns whether it was activated (the caller flips the state).
bool checkbox(Mirror& mirror, const std::string& id, const std::string& label, bool checked);
// A text field `width` wide: ImGui draws its frame, the browser the text, the caret, the
// selection and input methods' compositions. `value` follows what the person types; `info` says
// what the field is for (its value is ignored).
void text_field(Mirror& mirror, const std::string& id, const std::string& label, std::string& value,
                const client::TextFieldInfo& info, float width);
// Describes the item ImGui drew last (a line of text) as `role` with the text `text`.
void describe_last_item(Mirror& mirror, const std::string& id, client::UiRole role,
                        const std::string& text);
// Describes a region the view drew itself.
void describe(Mirror& mirror, const std::string& id, client::UiRole role, const std::string& text,
              ImVec2 min, ImVec2 size, const std::string& parent = "");

}  // namespace videochat::ui
