// Small drawing helpers shared by the screens.
#pragma once

#include <imgui.h>

namespace videochat::ui {

inline const ImVec4 kAccent(0.27f, 0.52f, 0.96f, 1.0f);
inline const ImVec4 kDanger(0.86f, 0.27f, 0.27f, 1.0f);
inline const ImVec4 kWarning(0.98f, 0.75f, 0.30f, 1.0f);
inline const ImVec4 kMuted(0.60f, 0.63f, 0.68f, 1.0f);

// A button in a strong colour, for the one main action of a screen.
bool colored_button(const char* label, ImVec4 color, ImVec2 size = ImVec2(0, 0));

// Text centred in the rectangle at `min` of `size`.
void centered_text(ImVec2 min, ImVec2 size, const char* text, ImU32 color);

}  // namespace videochat::ui
