#include <doctest/doctest.h>

#include "toolbar_layout.hpp"

using namespace videochat::client;

namespace {

ToolbarMeasures measures(float width) {
  ToolbarMeasures m;
  m.width = width;
  m.status_width = 200;
  m.buttons = 4;
  m.min_button_width = 90;
  m.button_height = 44;
  m.spacing = 10;
  m.margin = 14;
  return m;
}

}  // namespace

TEST_CASE("a wide window has the buttons on the status line, each 132 wide") {
  ToolbarLayout layout = toolbar_layout(measures(960));
  CHECK(layout.beside_status);
  CHECK(layout.columns == 4);
  CHECK(layout.rows == 1);
  CHECK(layout.button_width == 132);
  CHECK(layout.height == 72);
}

TEST_CASE("a narrower window puts the buttons on a row of their own, filling it") {
  ToolbarLayout layout = toolbar_layout(measures(600));
  CHECK_FALSE(layout.beside_status);
  CHECK(layout.columns == 4);
  CHECK(layout.rows == 1);
  CHECK(layout.button_width == doctest::Approx((600 - 30) / 4.0));
  CHECK(layout.height == 14 + 44 + 10 + 44 + 14);
}

TEST_CASE("a phone in portrait gets two rows of two, never three and one") {
  ToolbarLayout layout = toolbar_layout(measures(350));
  CHECK_FALSE(layout.beside_status);
  CHECK(layout.columns == 2);
  CHECK(layout.rows == 2);
  CHECK(layout.button_width == doctest::Approx(170));
  CHECK(layout.height == 14 + 44 + 10 + 2 * 44 + 10 + 14);
}

TEST_CASE("a window narrower than one button still shows every button, one to a row") {
  ToolbarLayout layout = toolbar_layout(measures(60));
  CHECK(layout.columns == 1);
  CHECK(layout.rows == 4);
  CHECK(layout.button_width == 90);
}
