// Small drawing helpers shared by the screens.
#pragma once

#include <imgui.h>

#include "palette.hpp"

namespace videochat::ui {

// The palette of the theme in use (theme.cpp), and its colours as ImGui takes them.
const client::Palette& palette();
ImVec4 im(client::Color color);

// Text over a picture is light on a dark strip, whatever the theme.
inline const ImVec4 kOverPictureText(1, 1, 1, 1);
inline const ImVec4 kOverPictureWarning(0.98f, 0.75f, 0.30f, 1);

// Whether ImGui laid out a window hidden in the frame just rendered (a window that sizes itself
// to its contents is hidden in its first frame): another frame shows it.
bool windows_still_hidden();
// A view whose layout depends on the last frame's (a height it measured) asks for one more frame
// when that changed; main.cpp reads and clears the request after each frame.
void ask_for_another_frame();
bool another_frame_asked();

// Whether the dimming behind a dialog is still fading in: it needs the next frame.
bool dimming_fades_in();
// Shows the dimming at once (prefers-reduced-motion).
void skip_animations();

// Text centred in the rectangle at `min` of `size`.
void centered_text(ImVec2 min, ImVec2 size, const char* text, ImU32 color);

}  // namespace videochat::ui
