#include "local_media.hpp"

#include <emscripten/val.h>

namespace videochat::browser {

using emscripten::val;

extern "C" int vc_audio_level(emscripten::EM_VAL stream);

namespace {

val media_element(const std::string& id, bool muted) {
  val document = val::global("document");
  val element = document.call<val>("getElementById", id);
  if (element.isNull()) {
    element = document.call<val>("createElement", std::string("video"));
    element.set("id", id);
    element.set("hidden", true);
    document["body"].call<void>("appendChild", element);
  }
  element.set("muted", muted);
  element.set("autoplay", true);
  element.set("playsInline", true);
  return element;
}

// getUserMedia's errors, in words a person can act on.
std::string explain(const std::string& name) {
  if (name == "NotAllowedError" || name == "SecurityError") {
    return "Camera and microphone access was refused. Allow it in the browser's address bar to be "
           "seen and heard; you can still join and watch.";
  }
  if (name == "NotFoundError" || name == "OverconstrainedError") {
    return "No camera or microphone was found.";
  }
  if (name == "NotReadableError" || name == "AbortError") {
    return "The camera or microphone is in use by another program.";
  }
  return "Camera and microphone are unavailable (" + name + ").";
}

}  // namespace

LocalMedia::LocalMedia(std::string preview_element_id)
    : preview_id_(std::move(preview_element_id)), stream_(val::global("MediaStream").new_()) {}

void LocalMedia::start() {
  val devices = val::global("navigator")["mediaDevices"];
  if (devices.isUndefined() || devices["getUserMedia"].isUndefined()) {
    status_.pending = false;
    status_.problem = "This page cannot use a camera here (it needs https or localhost).";
    return;
  }
  request(Attempt::Both);
}

void LocalMedia::request(Attempt attempt) {
  val constraints = val::object();
  if (attempt != Attempt::AudioOnly) {
    val video = val::object();
    val width = val::object();
    width.set("ideal", 640);
    val height = val::object();
    height.set("ideal", 480);
    video.set("width", width);
    video.set("height", height);
    constraints.set("video", video);
  }
  if (attempt != Attempt::VideoOnly) {
    val audio = val::object();
    audio.set("echoCancellation", true);
    audio.set("noiseSuppression", true);
    constraints.set("audio", audio);
  }
  val::global("navigator")["mediaDevices"]
      .call<val>("getUserMedia", constraints)
      .call<val>("then", once([this](val stream) { on_stream(std::move(stream)); }),
                 once([this, attempt](val error) { on_refused(attempt, std::move(error)); }));
}

void LocalMedia::on_stream(val stream) {
  stream_ = std::move(stream);
  status_.pending = false;
  status_.has_camera = stream_.call<val>("getVideoTracks")["length"].as<int>() > 0;
  status_.has_microphone = stream_.call<val>("getAudioTracks")["length"].as<int>() > 0;
  if (!first_error_.empty()) {
    status_.problem = explain(first_error_) +
                      (status_.has_camera ? " Joining with camera only." : " Joining with microphone only.");
  }
  apply_enabled();
  val preview = media_element(preview_id_, /*muted=*/true);
  preview.set("srcObject", stream_);
  preview.call<val>("play").call<val>("catch", once([](val) {}));
}

void LocalMedia::on_refused(Attempt attempt, val error) {
  std::string name = error["name"].isString() ? error["name"].as<std::string>() : "Error";
  if (first_error_.empty()) first_error_ = name;
  // Refusal applies to both devices at once; a missing device is worth retrying without it.
  bool refused = name == "NotAllowedError" || name == "SecurityError";
  if (!refused && attempt == Attempt::Both) return request(Attempt::AudioOnly);
  if (!refused && attempt == Attempt::AudioOnly) return request(Attempt::VideoOnly);
  status_.pending = false;
  status_.problem = explain(first_error_) + " You will join receive-only.";
}

void LocalMedia::set_camera(bool on) {
  status_.camera_on = on;
  apply_enabled();
}

void LocalMedia::set_microphone(bool on) {
  status_.microphone_on = on;
  apply_enabled();
}

void LocalMedia::apply_enabled() {
  // A disabled track keeps its place in every peer connection (no renegotiation) and sends black
  // frames or silence.
  auto set_all = [](val tracks, bool on) {
    const int count = tracks["length"].as<int>();
    for (int i = 0; i < count; ++i) tracks[i].set("enabled", on);
  };
  set_all(stream_.call<val>("getVideoTracks"), status_.camera_on);
  set_all(stream_.call<val>("getAudioTracks"), status_.microphone_on);
}

float LocalMedia::microphone_level() const {
  if (!status_.has_microphone || !status_.microphone_on) return 0.0f;
  return static_cast<float>(vc_audio_level(stream_.as_handle())) / 1000.0f;
}

}  // namespace videochat::browser
