// The person's camera and microphone: asks for both, falls back to whichever is available (or to
// receiving only), shows a preview, and switches the tracks on and off.
#pragma once

#include <emscripten/val.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "js_callback.hpp"

namespace videochat::browser {

struct LocalMediaStatus {
  bool pending = true;  // still waiting for the browser (or the person's permission)
  bool has_camera = false;
  bool has_microphone = false;
  bool camera_on = true;
  bool microphone_on = true;
  std::string problem;  // why camera or microphone is missing, in words a person understands
};

class LocalMedia final {
 public:
  // `preview_element_id`: a muted <video> the preview plays in (created if missing).
  // `settled` is called once the browser has answered: with a stream, or with a final refusal.
  LocalMedia(std::string preview_element_id, std::function<void()> settled);

  // Asks for camera and microphone; tries again with less when refused or missing.
  void start();
  const LocalMediaStatus& status() const { return status_; }
  // The stream to send (may have no tracks: receive-only).
  emscripten::val stream() const { return stream_; }
  const std::string& preview_element_id() const { return preview_id_; }

  void set_camera(bool on);
  void set_microphone(bool on);
  // Uses the tracks of `stream` (other devices the person chose) instead of those of their kinds;
  // the old ones stop. Returns, for each new track, the track it replaced (null for a kind there
  // was none of).
  std::vector<std::pair<emscripten::val, emscripten::val>> replace_tracks(emscripten::val stream);
  // Stops the camera and microphone for good (the client is taken off the page), also when the
  // browser has not answered yet.
  void stop();
  // The element that shows the microphone's level (it follows the level by itself), once there is
  // a microphone.
  std::string level_meter_element_id() const { return preview_id_ + "-level"; }

 private:
  enum class Attempt { Both, AudioOnly, VideoOnly };
  void request(Attempt attempt);
  void on_stream(emscripten::val stream);
  void on_refused(Attempt attempt, emscripten::val error);
  void apply_enabled();

  std::string preview_id_;
  std::function<void()> settled_;
  emscripten::val stream_;
  LocalMediaStatus status_;
  std::string first_error_;
  bool stopped_ = false;
};

// Our voice's loudness now (0..1), heard by the page through a copy of the microphone's track that
// stays on while muted; -1 when nothing is heard. `listen` false pauses the listening.
double own_voice_level(emscripten::val stream, bool listen);

}  // namespace videochat::browser
