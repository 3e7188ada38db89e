#include "host_settings.hpp"

#include <algorithm>

#include "lobby.hpp"

namespace videochat::client {

namespace {

using nlohmann::json;

// An attribute's text, or nothing when it is absent (JSON null or missing).
std::optional<std::string> text_of(const json& object, const char* key,
                                   std::vector<std::string>& problems) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  problems.push_back(std::string(key) + " must be text");
  return std::nullopt;
}

// `audio="off"` starts muted; "on" (or no attribute) starts on.
void read_on_off(const json& object, const char* key, bool& into,
                 std::vector<std::string>& problems) {
  auto text = text_of(object, key, problems);
  if (!text) return;
  if (*text == "on" || *text == "off") {
    into = *text == "on";
  } else {
    problems.push_back(std::string(key) + " must be \"on\" or \"off\", not \"" + *text + "\"");
  }
}

// A boolean attribute: present means yes (autojoin, autojoin="", autojoin="autojoin"), unless it
// says "false".
void read_flag(const json& object, const char* key, bool& into,
               std::vector<std::string>& problems) {
  auto it = object.find(key);
  if (it != object.end() && it->is_boolean()) {
    into = it->get<bool>();
    return;
  }
  auto text = text_of(object, key, problems);
  if (text) into = *text != "false";
}

void read_theme(const json& object, Theme& into, std::vector<std::string>& problems) {
  auto text = text_of(object, "theme", problems);
  if (!text) return;
  if (*text == "auto") {
    into = Theme::kAuto;
  } else if (*text == "dark") {
    into = Theme::kDark;
  } else if (*text == "light") {
    into = Theme::kLight;
  } else {
    problems.push_back("theme must be \"auto\", \"dark\" or \"light\", not \"" + *text + "\"");
  }
}

// The words of a list separated by spaces or commas. (No std::istringstream: iostreams would
// double the client's download.)
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '\t' || c == '\n') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// `controls="microphone camera leave"`: the toolbar's buttons that show, in our order. Commas
// separate as well as spaces.
void read_controls(const json& object, std::vector<std::string>& into,
                   std::vector<std::string>& problems) {
  auto text = text_of(object, "controls", problems);
  if (!text) return;
  std::vector<std::string> asked;
  for (const std::string& word : words_of(*text)) {
    if (std::find(std::begin(kToolbarControls), std::end(kToolbarControls), word) ==
        std::end(kToolbarControls)) {
      problems.push_back("controls: unknown control \"" + word +
                         "\" (known: microphone, camera, screenShare, chat, hand, fullScreen, lock, copyLink, leave)");
      continue;
    }
    asked.push_back(word);
  }
  into.clear();
  for (std::string_view control : kToolbarControls) {
    if (std::find(asked.begin(), asked.end(), control) != asked.end()) {
      into.emplace_back(control);
    }
  }
}

void read_signaling_url(const json& object, std::optional<std::string>& into,
                        std::vector<std::string>& problems) {
  auto text = text_of(object, "signalingUrl", problems);
  if (!text) return;
  if (text->rfind("wss://", 0) == 0 || text->rfind("ws://", 0) == 0) {
    into = *text;
  } else {
    problems.push_back("signaling-url must be a ws:// or wss:// URL, not \"" + *text + "\"");
  }
}

// `ice-servers='[{"urls": "turn:turn.example.com", "username": "u", "credential": "c"}]'`: the
// RTCIceServer array RTCPeerConnection takes.
void read_ice_servers(const json& object, std::optional<json>& into,
                      std::vector<std::string>& problems) {
  auto text = text_of(object, "iceServers", problems);
  if (!text) return;
  json servers = json::parse(*text, nullptr, false);
  const bool valid =
      servers.is_array() && std::all_of(servers.begin(), servers.end(), [](const json& server) {
        auto urls = server.is_object() ? server.find("urls") : server.end();
        return urls != server.end() && (urls->is_string() || urls->is_array());
      });
  if (valid) {
    into = std::move(servers);
  } else {
    problems.push_back(
        "ice-servers must be a JSON array of RTCIceServer objects, each with \"urls\"");
  }
}

}  // namespace

ParsedHostSettings parse_host_settings(std::string_view json_text) {
  ParsedHostSettings parsed;
  auto& settings = parsed.settings;
  auto& problems = parsed.problems;
  const json object = json::parse(json_text, nullptr, false);
  if (!object.is_object()) {
    problems.push_back("the client's settings are not a JSON object");
    return parsed;
  }
  if (auto room = text_of(object, "room", problems); room && !room->empty()) {
    if (auto problem = room_id_problem(*room)) {
      problems.push_back("room \"" + *room + "\": " + *problem);
    } else {
      settings.room = *room;
    }
  }
  if (auto name = text_of(object, "displayName", problems)) settings.name = display_name(*name);
  read_flag(object, "autojoin", settings.autojoin, problems);
  read_on_off(object, "audio", settings.microphone_on, problems);
  read_on_off(object, "video", settings.camera_on, problems);
  if (auto language = text_of(object, "lang", problems)) settings.language = *language;
  read_theme(object, settings.theme, problems);
  read_controls(object, settings.controls, problems);
  read_signaling_url(object, settings.signaling_url, problems);
  read_ice_servers(object, settings.ice_servers, problems);
  if (auto url = text_of(object, "configUrl", problems); url && !url->empty()) {
    settings.config_url = *url;
  }
  read_flag(object, "followAddress", settings.follow_address, problems);
  return parsed;
}

bool shows_control(const HostSettings& settings, std::string_view control) {
  return std::find(settings.controls.begin(), settings.controls.end(), control) !=
         settings.controls.end();
}

}  // namespace videochat::client
