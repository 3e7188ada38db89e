#include "local_media.hpp"

#include <emscripten/val.h>

#include "host.hpp"
#include "texts.hpp"
#include "video_elements.hpp"

namespace videochat::browser {

using client::tr;
using emscripten::val;

extern "C" void vc_follow_level(emscripten::EM_VAL stream, const char* element_id);
extern "C" double vc_own_voice_level(emscripten::EM_VAL stream, bool listen);

namespace {

val media_element(const std::string& id, bool muted) {
  val element = element_by_id(id);
  if (element.isNull()) element = create_video_element(id);
  element.set("muted", muted);
  return element;
}

// getUserMedia's errors, in words a person can act on.
std::string explain(const std::string& name) {
  using client::Text;
  if (name == "NotAllowedError" || name == "SecurityError") return tr(Text::kMediaRefused);
  if (name == "NotFoundError" || name == "OverconstrainedError") {
    return tr(Text::kMediaNotFound);
  }
  if (name == "NotReadableError" || name == "AbortError") return tr(Text::kMediaBusy);
  return tr(Text::kMediaUnavailable, name);
}

}  // namespace

LocalMedia::LocalMedia(std::string preview_element_id, std::function<void()> settled)
    : preview_id_(std::move(preview_element_id)),
      settled_(std::move(settled)),
      stream_(val::global("MediaStream").new_()) {}

void LocalMedia::start() {
  val devices = val::global("navigator")["mediaDevices"];
  if (devices.isUndefined() || devices["getUserMedia"].isUndefined()) {
    status_.pending = false;
    status_.problem = tr(client::Text::kMediaNeedsSecureContext);
    settled_();
    return;
  }
  request(Attempt::Both);
}

void LocalMedia::request(Attempt attempt) {
  // The page (shell/client.js) owns the constraints, and asks for both before the client runs.
  const char* name = attempt == Attempt::Both        ? "both"
                     : attempt == Attempt::AudioOnly ? "audio"
                                                     : "video";
  host()
      .call<val>("userMedia", std::string(name))
      .call<val>("then", once([this](val stream) { on_stream(std::move(stream)); }),
                 once([this, attempt](val error) { on_refused(attempt, std::move(error)); }));
}

void LocalMedia::on_stream(val stream) {
  stream_ = std::move(stream);
  if (stopped_) return stop();
  status_.pending = false;
  status_.has_camera = stream_.call<val>("getVideoTracks")["length"].as<int>() > 0;
  status_.has_microphone = stream_.call<val>("getAudioTracks")["length"].as<int>() > 0;
  if (!first_error_.empty()) {
    status_.problem =
        explain(first_error_) +
        (status_.has_camera ? " Joining with camera only." : " Joining with microphone only.");
  }
  apply_enabled();
  val preview = media_element(preview_id_, /*muted=*/true);
  preview.set("srcObject", stream_);
  preview.call<val>("play").call<val>("catch", once([](val) {}));
  if (status_.has_microphone) {
    vc_follow_level(stream_.as_handle(), level_meter_element_id().c_str());
  }
  settled_();
}

void LocalMedia::on_refused(Attempt attempt, val error) {
  if (stopped_) return;
  std::string name = error["name"].isString() ? error["name"].as<std::string>() : "Error";
  if (first_error_.empty()) first_error_ = name;
  // Refusal applies to both devices at once; a missing device is worth retrying without it.
  bool refused = name == "NotAllowedError" || name == "SecurityError";
  if (!refused && attempt == Attempt::Both) return request(Attempt::AudioOnly);
  if (!refused && attempt == Attempt::AudioOnly) return request(Attempt::VideoOnly);
  status_.pending = false;
  status_.problem = explain(first_error_) + " You will join receive-only.";
  settled_();
}

void LocalMedia::set_camera(bool on) {
  status_.camera_on = on;
  apply_enabled();
}

void LocalMedia::set_microphone(bool on) {
  status_.microphone_on = on;
  apply_enabled();
}

std::vector<std::pair<val, val>> LocalMedia::replace_tracks(val stream) {
  std::vector<std::pair<val, val>> replaced;
  val tracks = stream.call<val>("getTracks");
  const int count = tracks["length"].as<int>();
  for (int i = 0; i < count; ++i) {
    val track = tracks[i];
    const std::string kind = track["kind"].as<std::string>();
    val same_kind = stream_.call<val>(kind == "audio" ? "getAudioTracks" : "getVideoTracks");
    val old = same_kind["length"].as<int>() > 0 ? same_kind[0] : val::null();
    if (!old.isNull()) {
      stream_.call<void>("removeTrack", old);
      old.call<void>("stop");
    }
    stream_.call<void>("addTrack", track);
    replaced.emplace_back(old, track);
  }
  status_.has_camera = stream_.call<val>("getVideoTracks")["length"].as<int>() > 0;
  status_.has_microphone = stream_.call<val>("getAudioTracks")["length"].as<int>() > 0;
  apply_enabled();
  return replaced;
}

void LocalMedia::stop() {
  stopped_ = true;
  val tracks = stream_.call<val>("getTracks");
  const int count = tracks["length"].as<int>();
  for (int i = 0; i < count; ++i) tracks[i].call<void>("stop");
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

double own_voice_level(val stream, bool listen) {
  return vc_own_voice_level(stream.as_handle(), listen);
}

}  // namespace videochat::browser
