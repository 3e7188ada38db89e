#include "palette.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace videochat::client {

namespace {

constexpr Color rgb(int r, int g, int b) {
  return {r / 255.0f, g / 255.0f, b / 255.0f, 1};
}

// sRGB to linear light, as WCAG 2 defines relative luminance.
double linear(float channel) {
  return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double luminance(Color color) {
  return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b);
}

}  // namespace

const Palette& dark_palette() {
  static const Palette palette = {
      .page = rgb(18, 20, 25),
      .surface = rgb(28, 31, 38),
      .text = rgb(235, 237, 242),
      .muted_text = rgb(155, 161, 171),
      .field = rgb(38, 41, 51),
      .field_hovered = rgb(48, 54, 66),
      .placeholder = rgb(155, 161, 171),
      .button = rgb(46, 51, 64),
      .button_hovered = rgb(61, 69, 84),
      .button_active = rgb(71, 79, 97),
      .accent = rgb(37, 99, 235),
      .on_accent = rgb(255, 255, 255),
      .danger = rgb(200, 45, 45),
      .on_danger = rgb(255, 255, 255),
      .pressed = rgb(235, 237, 242),
      .on_pressed = rgb(18, 20, 25),
      .warning_text = rgb(250, 191, 77),
      .error_text = rgb(255, 128, 128),
      .focus_ring = rgb(138, 180, 255),
      .check_mark = rgb(96, 150, 250),
      .level = rgb(77, 199, 115),
      .level_track = rgb(38, 41, 51),
      .dim = {0, 0, 0, 0.6f},
  };
  return palette;
}

const Palette& light_palette() {
  static const Palette palette = {
      .page = rgb(247, 248, 250),
      .surface = rgb(232, 235, 240),
      .text = rgb(23, 26, 33),
      .muted_text = rgb(82, 89, 102),
      .field = rgb(255, 255, 255),
      .field_hovered = rgb(240, 243, 247),
      .placeholder = rgb(99, 106, 118),
      .button = rgb(222, 226, 233),
      .button_hovered = rgb(208, 214, 223),
      .button_active = rgb(194, 201, 212),
      .accent = rgb(29, 78, 216),
      .on_accent = rgb(255, 255, 255),
      .danger = rgb(185, 28, 28),
      .on_danger = rgb(255, 255, 255),
      .pressed = rgb(23, 26, 33),
      .on_pressed = rgb(255, 255, 255),
      .warning_text = rgb(146, 64, 14),
      .error_text = rgb(185, 28, 28),
      .focus_ring = rgb(29, 78, 216),
      .check_mark = rgb(29, 78, 216),
      .level = rgb(21, 128, 61),
      .level_track = rgb(222, 226, 233),
      .dim = {0, 0, 0, 0.4f},
  };
  return palette;
}

double contrast_ratio(Color first, Color second) {
  const double a = luminance(first), b = luminance(second);
  return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

std::string css_color(Color color) {
  auto byte = [](float channel) { return static_cast<int>(std::lround(channel * 255)); };
  char text[40];
  if (color.a >= 1) {
    std::snprintf(text, sizeof text, "#%02x%02x%02x", byte(color.r), byte(color.g), byte(color.b));
  } else {
    std::snprintf(text, sizeof text, "rgba(%d,%d,%d,%.2f)", byte(color.r), byte(color.g),
                  byte(color.b), color.a);
  }
  return text;
}

}  // namespace videochat::client
