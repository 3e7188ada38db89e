// The pictures under the UI, as the views see them: a view shows an element's picture in a box of
// the frame it draws and learns whether there is a picture yet; at the end of the frame the
// placement goes to the page, changes only.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "video_elements.hpp"
#include "video_placement.hpp"

namespace videochat::ui {

class PictureLayer final {
 public:
  // `changed` is called when a picture appears or changes size: the UI must be drawn again.
  explicit PictureLayer(std::function<void()> changed) : elements_(std::move(changed)) {}

  // Shows the element's picture in the box at `min` of `size` (CSS pixels) in this frame. The
  // views draw nothing opaque there: the canvas is transparent over the picture. `overlay` says
  // whether the view draws over it (a name); if not, the picture sits above the canvas. Returns
  // whether the element has a picture yet.
  bool show(const std::string& element_id, ImVec2 min, ImVec2 size, bool mirrored,
            client::Overlay overlay) {
    placement_.place(element_id, {min.x, min.y, size.x, size.y, mirrored}, overlay);
    return elements_.has_picture(element_id);
  }
  // Applies the frame's placement to the page; pictures not shown in it are hidden. Called once
  // every window of the frame has been drawn, so that dialogs and tooltips over a picture are
  // known.
  void commit() { elements_.apply(placement_.commit(covering_windows())); }

 private:
  // What the frame drew besides the main window: popups, dialogs, tooltips. A modal dialog dims
  // the whole page.
  static std::vector<client::PageRect> covering_windows();

  client::VideoPlacement placement_;
  browser::VideoElements elements_;
};

}  // namespace videochat::ui
