#include "tile_layout.hpp"

#include <algorithm>

namespace videochat::client {

TileGrid tile_grid(int tiles, float area_width, float area_height, float aspect, float gap) {
  tiles = std::max(tiles, 1);
  TileGrid best;
  for (int columns = 1; columns <= tiles; ++columns) {
    int rows = (tiles + columns - 1) / columns;
    float cell_width =
        (area_width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    float cell_height =
        (area_height - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows);
    if (cell_width <= 0 || cell_height <= 0) continue;
    // The largest tile of this aspect that fits the cell.
    float width = std::min(cell_width, cell_height * aspect);
    if (width > best.tile_width) best = {columns, rows, width, width / aspect};
  }
  return best;
}

}  // namespace videochat::client
