// The <video> elements that show the pictures. They sit under the UI's transparent canvas (or above
// it where the UI draws nothing over them), placed where the views laid out each tile, and the
// browser composites them itself: no frame of video passes through WebGL or the WASM heap. An
// element is touched only when its place changes.
#pragma once

#include <emscripten/val.h>

#include <functional>
#include <string>
#include <vector>

#include "js_callback.hpp"
#include "video_placement.hpp"

namespace videochat::browser {

// A new, hidden <video> element in the client's picture layer.
emscripten::val create_video_element(const std::string& id);

// Full screen (the Fullscreen API): whether the browser offers it here (a frame must allow it),
// one element's picture alone, or the whole call (the client's box). Only in answer to a click or
// key press.
bool full_screen_supported();
void show_full_screen(const std::string& element_id);
bool call_is_full_screen();
void show_call_full_screen(bool on);

class VideoElements final {
 public:
  // `changed` is called when a placed element's picture appears, changes size or goes away: what
  // the views draw over it (a status, "No video") depends on that.
  explicit VideoElements(std::function<void()> changed);

  // Moves, shows and hides elements as the frame's placement says.
  void apply(const std::vector<client::PictureChange>& changes);
  // Whether the element has a picture to show (its first frame has arrived).
  bool has_picture(const std::string& element_id) const;

 private:
  JsCallback on_picture_changed_;
};

}  // namespace videochat::browser
