// The UI's colours, dark and light (the browser's prefers-color-scheme chooses), in one place for
// ImGui (ui/theme.cpp) and the page's own elements (CSS custom properties the client sets), with
// the WCAG contrast ratio the unit tests hold every pair of text and background to.
#pragma once

#include <string>

namespace videochat::client {

struct Color {
  float r = 0, g = 0, b = 0, a = 1;
};

struct Palette {
  Color page;           // the page's background, seen through the canvas
  Color surface;        // a tile with no picture, a dialog
  Color text;           // on page, surface, field and button
  Color muted_text;     // secondary text, on page and surface
  Color field, field_hovered;
  Color placeholder;    // in a field
  Color button, button_hovered, button_active;
  Color accent, on_accent;  // the main action of a screen, and its label
  Color danger, on_danger;  // Leave, and its label
  Color pressed, on_pressed;  // a pressed toggle (Mute, Stop video), and its label
  Color warning_text;   // a problem that is not an error (the server away), on page
  Color error_text;     // why a join failed, on page
  Color focus_ring;     // the page draws it around the focused element
  Color check_mark;
  Color level, level_track;  // the microphone's level meter: its bar, and the track it fills
  Color dim;            // over the page behind a dialog
};

const Palette& dark_palette();
const Palette& light_palette();

// WCAG 2's contrast ratio of two opaque colours, 1 to 21.
double contrast_ratio(Color first, Color second);

// "#rrggbb" (or "rgba(…)" when not opaque), for CSS.
std::string css_color(Color color);

}  // namespace videochat::client
