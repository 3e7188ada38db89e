// How video tiles fill the window: the grid that makes n tiles of a given aspect ratio as large as
// possible in the area, gaps included.
#include "tile_layout.hpp"

#include <doctest/doctest.h>

#include <initializer_list>

namespace {

using videochat::client::tile_grid;
using videochat::client::TileGrid;

constexpr float kWide = 16.0f / 9.0f;
constexpr float kClassic = 4.0f / 3.0f;
// Float rounding in the layout must not be mistaken for overflow, but a whole pixel must be.
constexpr float kTolerance = 0.01f;

}  // namespace

TEST_SUITE("tile_grid") {
  TEST_CASE("one tile fills the width of an area taller than the tile") {
    TileGrid grid = tile_grid(1, 1000, 1000, kWide, 8);
    CHECK(grid.columns == 1);
    CHECK(grid.rows == 1);
    CHECK(grid.tile_width == doctest::Approx(1000));
    CHECK(grid.tile_height == doctest::Approx(562.5));
  }

  TEST_CASE("one tile fills the height of an area wider than the tile") {
    TileGrid grid = tile_grid(1, 1600, 450, kWide, 8);
    CHECK(grid.columns == 1);
    CHECK(grid.rows == 1);
    CHECK(grid.tile_width == doctest::Approx(800));
    CHECK(grid.tile_height == doctest::Approx(450));
  }

  TEST_CASE("two tiles sit side by side in a wide area") {
    TileGrid grid = tile_grid(2, 1600, 450, kWide, 10);
    CHECK(grid.columns == 2);
    CHECK(grid.rows == 1);
    CHECK(grid.tile_width == doctest::Approx(795));  // (1600 - one gap) / 2
  }

  TEST_CASE("two tiles are stacked in a tall area") {
    TileGrid grid = tile_grid(2, 450, 1600, kWide, 10);
    CHECK(grid.columns == 1);
    CHECK(grid.rows == 2);
    CHECK(grid.tile_width == doctest::Approx(450));
  }

  TEST_CASE("four 4:3 tiles in a 4:3 area form a 2x2 grid of quarter tiles") {
    TileGrid grid = tile_grid(4, 1200, 900, kClassic, 0);
    CHECK(grid.columns == 2);
    CHECK(grid.rows == 2);
    CHECK(grid.tile_width == doctest::Approx(600));
    CHECK(grid.tile_height == doctest::Approx(450));
  }

  TEST_CASE("the grid has a cell for every tile and never exceeds the area, gaps included") {
    struct Area {
      float width, height;
    };
    const float gap = 8;
    for (Area area : {Area{1920, 1080}, Area{1080, 1920}, Area{1000, 1000}, Area{800, 200},
                      Area{200, 800}, Area{320, 240}}) {
      for (float aspect : {kWide, kClassic, 1.0f}) {
        for (int tiles = 1; tiles <= 9; ++tiles) {
          CAPTURE(area.width);
          CAPTURE(area.height);
          CAPTURE(aspect);
          CAPTURE(tiles);
          TileGrid grid = tile_grid(tiles, area.width, area.height, aspect, gap);
          CHECK(grid.columns * grid.rows >= tiles);
          CHECK(grid.tile_width > 0);
          CHECK(grid.tile_height > 0);
          float used_width = grid.tile_width * static_cast<float>(grid.columns) +
                             gap * static_cast<float>(grid.columns - 1);
          float used_height = grid.tile_height * static_cast<float>(grid.rows) +
                              gap * static_cast<float>(grid.rows - 1);
          CHECK(used_width <= area.width + kTolerance);
          CHECK(used_height <= area.height + kTolerance);
        }
      }
    }
  }

  TEST_CASE("tiles keep the requested aspect ratio") {
    for (float aspect : {kWide, kClassic, 1.0f, 9.0f / 16.0f}) {
      for (int tiles = 1; tiles <= 9; ++tiles) {
        CAPTURE(aspect);
        CAPTURE(tiles);
        TileGrid grid = tile_grid(tiles, 1280, 720, aspect, 8);
        REQUIRE(grid.tile_height > 0);
        CHECK(grid.tile_width / grid.tile_height == doctest::Approx(aspect));
      }
    }
  }

  TEST_CASE("zero or negative tile counts are laid out as one tile") {
    TileGrid one = tile_grid(1, 1280, 720, kWide, 8);
    for (int tiles : {0, -1, -100}) {
      CAPTURE(tiles);
      TileGrid grid = tile_grid(tiles, 1280, 720, kWide, 8);
      CHECK(grid.columns == one.columns);
      CHECK(grid.rows == one.rows);
      CHECK(grid.tile_width == doctest::Approx(one.tile_width));
      CHECK(grid.tile_height == doctest::Approx(one.tile_height));
    }
    CHECK(one.tile_height == doctest::Approx(720));
  }
}
