// How video tiles fill the window: the grid (columns x rows) that makes n tiles of the given
// aspect ratio as large as possible in the area.
#pragma once

namespace videochat::client {

struct TileGrid {
  int columns = 1;
  int rows = 1;
  float tile_width = 0;
  float tile_height = 0;
};

TileGrid tile_grid(int tiles, float area_width, float area_height, float aspect, float gap);

}  // namespace videochat::client
