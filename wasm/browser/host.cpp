#include "host.hpp"

namespace videochat::browser {

using emscripten::val;

val host() {
  return val::module_property("vcHost");
}

val element_by_id(const std::string& id) {
  return host()["root"].call<val>("getElementById", id);
}

val picture_layer() {
  return host()["videos"];
}

std::string asset_url(const std::string& path) {
  return val::global("URL").new_(path, host()["baseUrl"])["href"].as<std::string>();
}

std::string host_settings_json() {
  return host()["settings"].as<std::string>();
}

void emit(const std::string& type, const nlohmann::json& detail) {
  host().call<void>("emit", type, detail.dump());
}

bool page_visible() {
  return val::global("document")["visibilityState"].as<std::string>() == "visible";
}

}  // namespace videochat::browser
