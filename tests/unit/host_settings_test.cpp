// What a page asks of the client it starts (the <video-chat> element's attributes): each setting
// read as documented in docs/embedding.md, and every value that makes no sense named in a problem
// and left at its default.
#include "host_settings.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using videochat::client::HostSettings;
using videochat::client::parse_host_settings;
using videochat::client::shows_control;
using videochat::client::Theme;

bool mentions(const std::vector<std::string>& problems, const std::string& words) {
  for (const auto& problem : problems) {
    if (problem.find(words) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("no attributes: the lobby with every control, devices on, the browser's language") {
  auto parsed = parse_host_settings("{}");
  CHECK(parsed.problems.empty());
  const HostSettings& s = parsed.settings;
  CHECK_FALSE(s.room);
  CHECK_FALSE(s.autojoin);
  CHECK(s.microphone_on);
  CHECK(s.camera_on);
  CHECK(s.language.empty());
  CHECK(s.theme == Theme::kAuto);
  CHECK(shows_control(s, "microphone"));
  CHECK(shows_control(s, "leave"));
  CHECK_FALSE(s.signaling_url);
  CHECK_FALSE(s.ice_servers);
  CHECK(s.config_url == "config.json");
  CHECK_FALSE(s.follow_address);
}

TEST_CASE("absent attributes arrive as null and change nothing") {
  auto parsed = parse_host_settings(
      R"({"room":null,"displayName":null,"audio":null,"theme":null,"autojoin":null})");
  CHECK(parsed.problems.empty());
  CHECK_FALSE(parsed.settings.room);
  CHECK_FALSE(parsed.settings.autojoin);
}

TEST_CASE("room, name, autojoin and muted devices are read as written") {
  auto parsed = parse_host_settings(
      R"({"room":"standup","displayName":"  Ada\u0007 ","autojoin":"","audio":"off","video":"off"})");
  CHECK(parsed.problems.empty());
  CHECK(parsed.settings.room == "standup");
  CHECK(parsed.settings.name == "Ada");  // as the room will see it
  CHECK(parsed.settings.autojoin);
  CHECK_FALSE(parsed.settings.microphone_on);
  CHECK_FALSE(parsed.settings.camera_on);
}

TEST_CASE("autojoin=\"false\" does not join") {
  CHECK_FALSE(parse_host_settings(R"({"autojoin":"false"})").settings.autojoin);
  CHECK(parse_host_settings(R"({"autojoin":"autojoin"})").settings.autojoin);
}

TEST_CASE("a room the server would refuse is named in a problem and not filled in") {
  auto parsed = parse_host_settings(R"({"room":"a b"})");
  CHECK_FALSE(parsed.settings.room);
  REQUIRE(parsed.problems.size() == 1);
  CHECK(mentions(parsed.problems, "room \"a b\""));
}

TEST_CASE("audio and video take only on and off") {
  auto parsed = parse_host_settings(R"({"audio":"muted","video":"on"})");
  CHECK(parsed.settings.microphone_on);
  CHECK(parsed.settings.camera_on);
  CHECK(mentions(parsed.problems, "audio must be \"on\" or \"off\", not \"muted\""));
}

TEST_CASE("theme: auto, dark or light") {
  CHECK(parse_host_settings(R"({"theme":"light"})").settings.theme == Theme::kLight);
  CHECK(parse_host_settings(R"({"theme":"dark"})").settings.theme == Theme::kDark);
  auto parsed = parse_host_settings(R"({"theme":"purple"})");
  CHECK(parsed.settings.theme == Theme::kAuto);
  CHECK(mentions(parsed.problems, "not \"purple\""));
}

TEST_CASE("controls: the named buttons show, in the toolbar's order; unknown names are problems") {
  auto parsed = parse_host_settings(R"({"controls":"leave, microphone  raiseHand"})");
  CHECK(parsed.settings.controls == std::vector<std::string>{"microphone", "leave"});
  CHECK(shows_control(parsed.settings, "leave"));
  CHECK_FALSE(shows_control(parsed.settings, "camera"));
  CHECK(mentions(parsed.problems, "unknown control \"raiseHand\""));
  CHECK(parse_host_settings(R"({"controls":""})").settings.controls.empty());
}

TEST_CASE("signaling-url must be a WebSocket URL") {
  CHECK(parse_host_settings(R"({"signalingUrl":"wss://example.com/production"})")
            .settings.signaling_url == "wss://example.com/production");
  auto parsed = parse_host_settings(R"({"signalingUrl":"https://example.com"})");
  CHECK_FALSE(parsed.settings.signaling_url);
  CHECK(mentions(parsed.problems, "ws:// or wss://"));
}

TEST_CASE("ice-servers is a JSON array of RTCIceServer objects") {
  auto parsed = parse_host_settings(
      R"({"iceServers":"[{\"urls\":\"turn:t.example.com\",\"username\":\"u\",\"credential\":\"c\"}]"})");
  CHECK(parsed.problems.empty());
  REQUIRE(parsed.settings.ice_servers);
  CHECK((*parsed.settings.ice_servers)[0]["username"] == "u");
  for (const char* bad :
       {R"({"iceServers":"turn:t.example.com"})", R"({"iceServers":"[{\"url\":\"turn:t\"}]"})",
        R"({"iceServers":"{\"urls\":\"turn:t\"}"})"}) {
    CAPTURE(bad);
    auto refused = parse_host_settings(bad);
    CHECK_FALSE(refused.settings.ice_servers);
    CHECK(mentions(refused.problems, "ice-servers must be"));
  }
}

TEST_CASE("settings that are not a JSON object, or values that are not text, are problems") {
  CHECK(mentions(parse_host_settings("[1]").problems, "not a JSON object"));
  auto parsed = parse_host_settings(R"({"room":5})");
  CHECK_FALSE(parsed.settings.room);
  CHECK(mentions(parsed.problems, "room must be text"));
}

TEST_CASE("our own page follows its address") {
  auto parsed = parse_host_settings(R"({"followAddress":true,"configUrl":"config.json"})");
  CHECK(parsed.settings.follow_address);
  CHECK(parsed.problems.empty());
}
