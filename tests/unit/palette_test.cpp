#include <doctest/doctest.h>

#include "palette.hpp"

using namespace videochat::client;

TEST_CASE("the contrast ratio follows WCAG 2's published extremes") {
  CHECK(contrast_ratio({0, 0, 0}, {1, 1, 1}) == doctest::Approx(21.0));
  CHECK(contrast_ratio({1, 1, 1}, {1, 1, 1}) == doctest::Approx(1.0));
  // #767676 on white is the lightest grey that passes AA for text: 4.54.
  const float grey = 0x76 / 255.0f;
  CHECK(contrast_ratio({grey, grey, grey}, {1, 1, 1}) == doctest::Approx(4.54).epsilon(0.01));
}

TEST_CASE("every text the canvas draws meets WCAG AA (4.5:1) in both themes") {
  for (const Palette* palette : {&dark_palette(), &light_palette()}) {
    const Palette& p = *palette;
    CAPTURE(palette == &dark_palette() ? "dark" : "light");
    struct Pair {
      const char* what;
      Color text, background;
    };
    const Pair pairs[] = {
        {"text on page", p.text, p.page},
        {"muted text on page", p.muted_text, p.page},
        {"text on surface", p.text, p.surface},
        {"muted text on surface", p.muted_text, p.surface},
        {"text in a field", p.text, p.field},
        {"placeholder in a field", p.placeholder, p.field},
        {"text in a hovered field", p.text, p.field_hovered},
        {"button label", p.text, p.button},
        {"hovered button label", p.text, p.button_hovered},
        {"pressed-down button label", p.text, p.button_active},
        {"main action label", p.on_accent, p.accent},
        {"Leave label", p.on_danger, p.danger},
        {"pressed toggle label", p.on_pressed, p.pressed},
        {"warning on page", p.warning_text, p.page},
        {"error on page", p.error_text, p.page},
    };
    for (const Pair& pair : pairs) {
      CAPTURE(pair.what);
      CHECK(contrast_ratio(pair.text, pair.background) >= 4.5);
    }
    // Non-text contrast (WCAG 1.4.11): the focus ring and the check mark against the page, the
    // level meter's bar against its track, and the track against the page.
    CHECK(contrast_ratio(p.focus_ring, p.page) >= 3.0);
    CHECK(contrast_ratio(p.check_mark, p.field) >= 3.0);
    CHECK(contrast_ratio(p.level, p.level_track) >= 3.0);
  }
}

TEST_CASE("colours for CSS") {
  CHECK(css_color({1, 0, 0}) == "#ff0000");
  CHECK(css_color({0, 0, 0, 0.6f}) == "rgba(0,0,0,0.60)");
}
