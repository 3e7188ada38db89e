#include "video_elements.hpp"

#include "host.hpp"
#include "js_callback.hpp"

namespace videochat::browser {

using emscripten::val;

namespace {

std::string px(float value) {
  return std::to_string(value) + "px";
}

}  // namespace

val create_video_element(const std::string& id) {
  val layer = picture_layer();
  val element = layer["ownerDocument"].call<val>("createElement", std::string("video"));
  element.set("id", id);
  element.set("hidden", true);
  element.set("autoplay", true);
  element.set("playsInline", true);
  layer.call<void>("appendChild", element);
  return element;
}

bool full_screen_supported() {
  val document = picture_layer()["ownerDocument"];
  return document["fullscreenEnabled"].isTrue();
}

void show_full_screen(const std::string& element_id) {
  val element = element_by_id(element_id);
  if (element.isNull() || element["requestFullscreen"].isUndefined()) return;
  element.call<val>("requestFullscreen").call<val>("catch", once([](val) {}));
}

bool call_is_full_screen() {
  val document = picture_layer()["ownerDocument"];
  val shown = document["fullscreenElement"];
  return !shown.isNull() && !shown.isUndefined() && shown.strictlyEquals(host()["container"]);
}

void show_call_full_screen(bool on) {
  val document = picture_layer()["ownerDocument"];
  if (on) {
    host()["container"].call<val>("requestFullscreen").call<val>("catch", once([](val) {}));
  } else if (call_is_full_screen()) {
    document.call<val>("exitFullscreen").call<val>("catch", once([](val) {}));
  }
}

VideoElements::VideoElements(std::function<void()> changed)
    : on_picture_changed_([changed = std::move(changed)](val) { changed(); }) {
  // Full screen ends with Esc too, outside the client: the Full screen button follows it.
  val options = val::object();
  options.set("signal", host()["signal"]);
  picture_layer()["ownerDocument"].call<void>("addEventListener", std::string("fullscreenchange"),
                                              on_picture_changed_.function(), options);
}

void VideoElements::apply(const std::vector<client::PictureChange>& changes) {
  for (const auto& change : changes) {
    val element = element_by_id(change.element_id);
    if (element.isNull()) continue;  // its peer is gone; nothing to place
    if (!change.box) {
      element.set("hidden", true);
      continue;
    }
    if (element["vcWatched"].isUndefined()) {
      element.set("vcWatched", true);
      for (const char* event : {"loadeddata", "resize", "emptied"}) {
        element.call<void>("addEventListener", std::string(event), on_picture_changed_.function());
      }
    }
    val style = element["style"];
    style.set("left", px(change.box->x));
    style.set("top", px(change.box->y));
    style.set("width", px(change.box->width));
    style.set("height", px(change.box->height));
    element["classList"].call<void>("toggle", std::string("mirrored"), change.box->mirrored);
    element["classList"].call<void>("toggle", std::string("above-ui"), change.box->above_ui);
    element.set("hidden", false);
  }
}

bool VideoElements::has_picture(const std::string& element_id) const {
  val element = element_by_id(element_id);
  return !element.isNull() && element["readyState"].as<int>() >= 2 &&
         element["videoWidth"].as<int>() > 0;
}

}  // namespace videochat::browser
