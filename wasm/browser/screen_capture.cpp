#include "screen_capture.hpp"

#include "host.hpp"
#include "texts.hpp"
#include "video_elements.hpp"

namespace videochat::browser {

using client::Text;
using client::tr;
using emscripten::val;

namespace {

// getDisplayMedia's refusals, in words a person can act on.
std::string explain(const val& error) {
  const std::string name = error["name"].isString() ? error["name"].as<std::string>() : "Error";
  const std::string message =
      error["message"].isString() ? error["message"].as<std::string>() : std::string();
  if (name == "NotAllowedError") {
    // Chromium says "by system" when the operating system's settings forbid capture.
    return tr(message.find("system") != std::string::npos ? Text::kScreenShareBlocked
                                                          : Text::kScreenShareCancelled);
  }
  // Called without a click or key press just before (transient activation).
  if (name == "InvalidStateError") return tr(Text::kScreenShareNeedsClick);
  return tr(Text::kScreenShareFailed, name);
}

}  // namespace

ScreenCapture::ScreenCapture(Events events)
    : events_(std::move(events)),
      on_track_ended_(std::make_unique<JsCallback>([this](val) { stop(); })) {}

bool ScreenCapture::supported() {
  val devices = val::global("navigator")["mediaDevices"];
  return !devices.isUndefined() && !devices["getDisplayMedia"].isUndefined();
}

void ScreenCapture::start() {
  if (pending_ || sharing()) return;
  if (!supported()) {
    events_.refused(tr(Text::kScreenShareUnsupported));
    return;
  }
  val devices = val::global("navigator")["mediaDevices"];
  // A screen changes little and must stay legible: few frames, every pixel. The browser offers
  // the tab's or the system's sound where it can.
  val video = val::object();
  val frame_rate = val::object();
  frame_rate.set("ideal", 15);
  frame_rate.set("max", 30);
  video.set("frameRate", frame_rate);
  val constraints = val::object();
  constraints.set("video", video);
  constraints.set("audio", true);
  pending_ = true;
  devices.call<val>("getDisplayMedia", constraints)
      .call<val>("then", once([this](val stream) { on_stream(std::move(stream)); }),
                 once([this](val error) {
                   pending_ = false;
                   events_.refused(explain(error));
                 }));
}

void ScreenCapture::on_stream(val stream) {
  pending_ = false;
  stream_ = std::move(stream);
  val tracks = stream_.call<val>("getTracks");
  for (int i = 0; i < tracks["length"].as<int>(); ++i) {
    val track = tracks[i];
    // Text and lines, not motion: the encoder keeps detail (and WebRTC keeps the resolution).
    if (track["kind"].as<std::string>() == "video") track.set("contentHint", std::string("detail"));
    // The browser's own "Stop sharing" bar, or the shared window closing.
    track.call<void>("addEventListener", std::string("ended"), on_track_ended_->function());
  }
  val preview = element_by_id(preview_id_);
  if (preview.isNull()) preview = create_video_element(preview_id_);
  preview.set("muted", true);
  preview.set("srcObject", stream_);
  preview.call<val>("play").call<val>("catch", once([](val) {}));
  events_.started();
}

void ScreenCapture::stop() {
  if (!sharing()) return;
  val tracks = stream_.call<val>("getTracks");
  for (int i = 0; i < tracks["length"].as<int>(); ++i) {
    tracks[i].call<void>("removeEventListener", std::string("ended"), on_track_ended_->function());
    tracks[i].call<void>("stop");
  }
  stream_ = val::null();
  val preview = element_by_id(preview_id_);
  if (!preview.isNull()) {
    preview.set("srcObject", val::null());
    preview.call<void>("remove");
  }
  events_.ended();
}

}  // namespace videochat::browser
