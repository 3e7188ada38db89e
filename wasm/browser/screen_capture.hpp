// The screen, window or tab the person shares (getDisplayMedia): asks the browser, which shows its
// own picker, and reports when sharing ends, also from the browser's own "Stop sharing" bar.
#pragma once

#include <emscripten/val.h>

#include <functional>
#include <memory>
#include <string>

#include "js_callback.hpp"

namespace videochat::browser {

class ScreenCapture final {
 public:
  // `started` once the person picked what to share; `ended` when sharing stops, however it does
  // (our button, the browser's bar, the shared window closing); `refused` with the reason in words
  // when the browser or the person said no.
  struct Events {
    std::function<void()> started;
    std::function<void()> ended;
    std::function<void(std::string why)> refused;
  };
  explicit ScreenCapture(Events events);

  // Whether the browser can share a screen at all (phones cannot).
  static bool supported();
  // Shows the browser's picker. Browsers allow it only in answer to a click or key press.
  void start();
  void stop();
  bool sharing() const { return !stream_.isNull(); }
  bool pending() const { return pending_; }
  // The shared stream (its video track, and the tab's or system's sound where the browser gives
  // it), or null.
  emscripten::val stream() const { return stream_; }
  // A muted <video> of our own share, for our tile of it.
  const std::string& preview_element_id() const { return preview_id_; }

 private:
  void on_stream(emscripten::val stream);

  Events events_;
  emscripten::val stream_ = emscripten::val::null();
  bool pending_ = false;
  std::string preview_id_ = "vc-screen-preview";
  std::unique_ptr<JsCallback> on_track_ended_;
};

}  // namespace videochat::browser
