#include "toolbar_layout.hpp"

#include <algorithm>

namespace videochat::client {

namespace {

float row_width(int count, float button_width, float spacing) {
  return count * button_width + (count - 1) * spacing;
}

}  // namespace

ToolbarLayout toolbar_layout(const ToolbarMeasures& m) {
  ToolbarLayout layout;
  const int buttons = std::max(1, m.buttons);
  const float wide = std::max(m.wide_button_width, m.min_button_width);
  if (m.status_width + 2 * m.spacing + row_width(buttons, wide, m.spacing) <= m.width) {
    layout.columns = buttons;
    layout.button_width = wide;
    layout.height = 2 * m.margin + m.button_height;
    return layout;
  }
  layout.beside_status = false;
  int columns = buttons;
  while (columns > 1 && row_width(columns, m.min_button_width, m.spacing) > m.width) --columns;
  // Rows as even as they can be: two rows of two rather than three and one.
  const int rows = (buttons + columns - 1) / columns;
  columns = (buttons + rows - 1) / rows;
  layout.columns = columns;
  layout.rows = rows;
  layout.button_width =
      std::max(m.min_button_width, (m.width - (columns - 1) * m.spacing) / columns);
  layout.height = 2 * m.margin + m.button_height /* the status line */ + m.spacing +
                  rows * m.button_height + (rows - 1) * m.spacing;
  return layout;
}

}  // namespace videochat::client
