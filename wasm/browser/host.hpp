// The page around this client. Each client is one instance of the module, started by
// shell/client.js with a host object (Module.vcHost): the root its elements live in (our page's
// document, or a <video-chat> element's shadow root), its layers (the pictures, the canvas, the
// mirror's elements, the live regions), the settings the page asked for, and where its events go.
// Nothing in the client reaches for the document's globals: two widgets on one page, or a widget
// beside the host's own fields, never meet.
#pragma once

#include <emscripten/val.h>

#include <nlohmann/json.hpp>
#include <string>

namespace videochat::browser {

emscripten::val host();
// The element of this client with `id` (ids are unique within a client's root, not the page).
emscripten::val element_by_id(const std::string& id);
// The layer the <video> elements and the level meter live in.
emscripten::val picture_layer();
// `path` (e.g. "fonts/Inter-Regular.otf") on the site the client came from, which for a widget
// is not the host page's.
std::string asset_url(const std::string& path);
// The settings the page asked for (client::parse_host_settings reads them).
std::string host_settings_json();
// Tells the page (the element's CustomEvent, or the iframe's postMessage) what happened.
void emit(const std::string& type, const nlohmann::json& detail);
// The document's visibility: a hidden page draws nothing.
bool page_visible();

}  // namespace videochat::browser
