// Small drawing helpers shared by the screens.
#pragma once

#include <imgui.h>

namespace videochat::ui {

inline const ImVec4 kAccent(0.27f, 0.52f, 0.96f, 1.0f);
inline const ImVec4 kDanger(0.86f, 0.27f, 0.27f, 1.0f);
inline const ImVec4 kWarning(0.98f, 0.75f, 0.30f, 1.0f);
inline const ImVec4 kMuted(0.60f, 0.63f, 0.68f, 1.0f);
inline const ImVec4 kPressedText(0.07f, 0.08f, 0.10f, 1.0f);  // on a pressed toggle

// Whether ImGui laid out a window hidden in the frame just rendered (a window that sizes itself
// to its contents is hidden in its first frame): another frame shows it.
bool windows_still_hidden();
// A view whose layout depends on the last frame's (a height it measured) asks for one more frame
// when that changed; main.cpp reads and clears the request after each frame.
void ask_for_another_frame();
bool another_frame_asked();

// Whether the dimming behind a dialog is still fading in: it needs the next frame.
bool dimming_fades_in();

// Text centred in the rectangle at `min` of `size`.
void centered_text(ImVec2 min, ImVec2 size, const char* text, ImU32 color);

}  // namespace videochat::ui
