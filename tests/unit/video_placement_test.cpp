// Pictures placed by the views reach the page only when they change: the first frame shows them,
// an identical frame changes nothing, a move or mirror change updates one element, and a picture
// no longer placed is hidden once.
#include "video_placement.hpp"

#include <doctest/doctest.h>

namespace {

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
}
