// Pictures placed by the views reach the page only when they change: the first frame shows them,
// an identical frame changes nothing, a move or mirror change updates one element, and a picture
// no longer placed is hidden once. A picture nothing of the UI covers sits above the canvas.
#include "video_placement.hpp"

#include <doctest/doctest.h>

namespace {

using videochat::client::Overlay;
using videochat::client::PageRect;
using videochat::client::PictureBox;
using videochat::client::PictureChange;
using videochat::client::VideoPlacement;

const PictureBox kLeft{10, 20, 320, 240, true};
const PictureBox kRight{340, 20, 320, 240, false};

}  // namespace

TEST_SUITE("VideoPlacement") {
  TEST_CASE("the first frame shows every placed picture") {
    VideoPlacement placement;
    placement.place("self", kLeft);
    placement.place("peer", kRight);
    auto changes = placement.commit();
    REQUIRE(changes.size() == 2);
    CHECK(changes[0] == PictureChange{"peer", kRight});
    CHECK(changes[1] == PictureChange{"self", kLeft});
  }

  TEST_CASE("a frame that places everything where it was touches nothing") {
    VideoPlacement placement;
    placement.place("self", kLeft);
    placement.commit();
    placement.place("self", kLeft);
    CHECK(placement.commit().empty());
  }

  TEST_CASE("a picture that moves, resizes or stops being mirrored is updated alone") {
    VideoPlacement placement;
    placement.place("self", kLeft);
    placement.place("peer", kRight);
    placement.commit();
    PictureBox moved = kLeft;
    moved.width = 300;
    moved.mirrored = false;
    placement.place("self", moved);
    placement.place("peer", kRight);
    auto changes = placement.commit();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0] == PictureChange{"self", moved});
  }

  TEST_CASE("a picture no longer placed is hidden once, and shown again when placed again") {
    VideoPlacement placement;
    placement.place("self", kLeft);
    placement.place("peer", kRight);
    placement.commit();
    placement.place("self", kLeft);
    auto changes = placement.commit();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0] == PictureChange{"peer", std::nullopt});
    placement.place("self", kLeft);
    CHECK(placement.commit().empty());
    placement.place("self", kLeft);
    placement.place("peer", kRight);
    changes = placement.commit();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0] == PictureChange{"peer", kRight});
  }

  TEST_CASE("the last place of a picture in a frame wins") {
    VideoPlacement placement;
    placement.place("self", kLeft);
    placement.place("self", kRight);
    auto changes = placement.commit();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0] == PictureChange{"self", kRight});
  }

  TEST_CASE("a picture its view draws nothing over sits above the UI; one with a name drawn over "
            "it stays under") {
    VideoPlacement placement;
    placement.place("self", kLeft, Overlay::kNothingOver);
    placement.place("peer", kRight, Overlay::kDrawnOver);
    auto changes = placement.commit();
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].box->above_ui == false);
    CHECK(changes[1].element_id == "self");
    CHECK(changes[1].box->above_ui == true);
  }

  TEST_CASE("a dialog over a picture puts it under the UI while it is open, and only that one") {
    VideoPlacement placement;
    placement.place("self", kLeft, Overlay::kNothingOver);
    placement.place("peer", kRight, Overlay::kNothingOver);
    placement.commit();
    const PageRect dialog{400, 100, 200, 100};  // over the right picture only
    placement.place("self", kLeft, Overlay::kNothingOver);
    placement.place("peer", kRight, Overlay::kNothingOver);
    auto changes = placement.commit({dialog});
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].element_id == "peer");
    CHECK(changes[0].box->above_ui == false);
    placement.place("self", kLeft, Overlay::kNothingOver);
    placement.place("peer", kRight, Overlay::kNothingOver);
    changes = placement.commit();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].box->above_ui == true);
  }

  TEST_CASE("something that only touches a picture's edge does not cover it") {
    VideoPlacement placement;
    const PageRect below{kLeft.x, kLeft.y + kLeft.height, kLeft.width, 30};
    placement.place("self", kLeft, Overlay::kNothingOver);
    auto changes = placement.commit({below});
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].box->above_ui == true);
  }
}
