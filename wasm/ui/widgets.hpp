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

// Keys pressed since the last frame. A press and release that both fall between two frames never
// show in ImGui 1.86's key state, so the GLFW key callback records presses for the keys the
// screens act on (main.cpp), and these read that record as well as ImGui's.
void note_key_presses(bool enter, bool escape);
bool enter_pressed();
bool escape_pressed();

// Whether ImGui laid out a window hidden in the frame just rendered (a window that sizes itself
// to its contents is hidden in its first frame): another frame shows it.
bool windows_still_hidden();

// Text centred in the rectangle at `min` of `size`.
void centered_text(ImVec2 min, ImVec2 size, const char* text, ImU32 color);

}  // namespace videochat::ui
