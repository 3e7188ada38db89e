// What the page that starts a client asks of it: the room and name to start with, whether to join
// at once, the camera's and microphone's first state, the language and theme, which toolbar
// buttons show, and the signaling and ICE servers when they are not config.json's. The embeddable
// element's attributes become these (shell/client.js passes them as JSON; docs/embedding.md);
// our own page passes its address instead. Values that make no sense are reported, one problem a
// line, and left at their defaults: a typo in an attribute never stops the widget.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace videochat::client {

enum class Theme { kAuto, kDark, kLight };

// The call toolbar's buttons, by the names the `controls` attribute uses (and the mirror ids).
inline constexpr std::string_view kToolbarControls[] = {
    "microphone", "camera", "screenShare", "chat", "hand", "fullScreen", "lock", "copyLink",
    "leave"};

struct HostSettings {
  std::optional<std::string> room;  // filled in the lobby, or joined at once with autojoin
  std::string name;
  bool autojoin = false;
  bool microphone_on = true;
  bool camera_on = true;
  std::string language;  // "" for the browser's languages
  Theme theme = Theme::kAuto;
  std::vector<std::string> controls{std::begin(kToolbarControls), std::end(kToolbarControls)};
  std::optional<std::string> signaling_url;   // instead of config.json's
  std::optional<nlohmann::json> ice_servers;  // an RTCIceServer array, instead of config.json's
  std::string config_url = "config.json";
  // Our own page: the room and language come from its address (?room=, ?lang=) and the address
  // follows the room joined. An embedded client leaves the host page's address alone.
  bool follow_address = false;
};

struct ParsedHostSettings {
  HostSettings settings;
  std::vector<std::string> problems;  // e.g. `theme must be "auto", "dark" or "light", not "x"`
};

// From the JSON object shell/client.js builds: the attributes' text as written (absent or null
// when not set), and the page's own flags (followAddress, configUrl).
ParsedHostSettings parse_host_settings(std::string_view json_text);

bool shows_control(const HostSettings& settings, std::string_view control);

}  // namespace videochat::client
