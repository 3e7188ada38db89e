// Where the call's toolbar puts its buttons: on the status line's right when the window is wide
// enough, else on rows of their own under it, as many to a row as fit (a phone in portrait gets
// two rows of two), each button as wide as the row allows.
#pragma once

namespace videochat::client {

struct ToolbarLayout {
  bool beside_status = true;  // one line: the status on the left, the buttons on the right
  int columns = 1;
  int rows = 1;
  float button_width = 0;
  float height = 0;  // the whole bar's, margins included
};

struct ToolbarMeasures {
  float width = 0;         // the bar's
  float status_width = 0;  // the room and status text's
  int buttons = 0;
  float min_button_width = 0;     // the widest label and its padding
  float wide_button_width = 132;  // what a button gets when there is room
  float button_height = 0;
  float spacing = 0;  // between buttons, and between the status and the buttons
  float margin = 0;   // above and below the bar's content
};

ToolbarLayout toolbar_layout(const ToolbarMeasures& m);

}  // namespace videochat::client
