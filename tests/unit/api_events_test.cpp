// The element's events: each change a page can see makes exactly one event, in an order a page
// can rely on (left before joined, the participants after the join that shows them).
#include "api_events.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using videochat::client::api_events;
using videochat::client::ApiEvent;
using videochat::client::ApiParticipant;
using videochat::client::ApiState;

std::vector<std::string> types(const std::vector<ApiEvent>& events) {
  std::vector<std::string> names;
  for (const auto& event : events) names.push_back(event.type);
  return names;
}

ApiState in_room(std::string room, std::vector<ApiParticipant> participants = {}) {
  ApiState state;
  state.joined_room = std::move(room);
  state.own_id = "me";
  state.signaling = "online";
  state.participants = std::move(participants);
  return state;
}

const ApiParticipant kBob{"b0b", "Bob", "connecting"};

}  // namespace

TEST_CASE("nothing changed: no events") {
  CHECK(api_events(in_room("r", {kBob}), in_room("r", {kBob}), "").empty());
}

TEST_CASE("joining a room with someone in it: joined, then that participant") {
  ApiState lobby;
  lobby.signaling = "online";
  auto events = api_events(lobby, in_room("standup", {kBob}), "");
  CHECK(types(events) == std::vector<std::string>{"joined", "participant-joined"});
  CHECK(events[0].detail == nlohmann::json{{"room", "standup"}, {"id", "me"}});
  CHECK(events[1].detail["name"] == "Bob");
}

TEST_CASE("someone arrives, is renamed, connects, and leaves") {
  ApiState before = in_room("r");
  ApiState arrived = in_room("r", {kBob});
  CHECK(types(api_events(before, arrived, "")) == std::vector<std::string>{"participant-joined"});
  ApiState renamed = in_room("r", {{"b0b", "Robert", "connected"}});
  auto events = api_events(arrived, renamed, "");
  REQUIRE(types(events) ==
          std::vector<std::string>{"participant-updated", "connection-state-changed"});
  CHECK(events[0].detail["name"] == "Robert");
  CHECK(events[1].detail == nlohmann::json{{"participant", "b0b"}, {"state", "connected"}});
  CHECK(types(api_events(renamed, before, "")) == std::vector<std::string>{"participant-left"});
}

TEST_CASE("leaving: everyone leaves, then the room, with the reason") {
  ApiState lobby;
  lobby.signaling = "online";
  auto events = api_events(in_room("r", {kBob}), lobby, "roomFull");
  REQUIRE(types(events) == std::vector<std::string>{"participant-left", "left"});
  CHECK(events[1].detail == nlohmann::json{{"room", "r"}, {"reason", "roomFull"}});
}

TEST_CASE("moving to another room: the old one is left before the new one is joined") {
  auto events =
      api_events(in_room("a", {kBob}), in_room("b", {{"c4t", "Cat", "connecting"}}), "left");
  CHECK(types(events) ==
        std::vector<std::string>{"participant-left", "left", "joined", "participant-joined"});
}

TEST_CASE("signaling and devices: one event each, with the new value") {
  ApiState before = in_room("r");
  ApiState after = before;
  after.signaling = "retrying";
  after.microphone_on = false;
  after.camera_on = false;
  auto events = api_events(before, after, "");
  REQUIRE(types(events) == std::vector<std::string>{"connection-state-changed",
                                                    "microphone-changed", "camera-changed"});
  CHECK(events[0].detail == nlohmann::json{{"signaling", "retrying"}});
  CHECK(events[1].detail == nlohmann::json{{"on", false}});
}

TEST_CASE("the state as getState() returns it") {
  auto json = videochat::client::to_json(in_room("r", {kBob}));
  CHECK(json["room"] == "r");
  CHECK(json["joined"] == true);
  CHECK(json["participants"][0]["id"] == "b0b");
  CHECK(videochat::client::to_json(ApiState{})["room"].is_null());
}

TEST_CASE("sharing a screen: one event for our own, participant-updated for another's") {
  ApiState before = in_room("r", {kBob});
  ApiState after = before;
  after.screen_sharing = true;
  after.participants[0].screen_sharing = true;
  auto events = api_events(before, after, "");
  REQUIRE(types(events) == std::vector<std::string>{"participant-updated", "screen-share-changed"});
  CHECK(events[0].detail["screenSharing"] == true);
  CHECK(events[1].detail == nlohmann::json{{"on", true}});
}

TEST_CASE("a participant that can chat is updated once, when its hello arrives") {
  ApiState before = in_room("r", {kBob});
  ApiState after = before;
  after.participants[0].chat = true;
  auto events = api_events(before, after, "");
  REQUIRE(types(events) == std::vector<std::string>{"participant-updated"});
  CHECK(events[0].detail["chat"] == true);
  CHECK(api_events(after, after, "").empty());
}

TEST_CASE("a raised hand and a changed link update the participant; speaking has its own event") {
  ApiState before = in_room("r", {kBob});
  ApiState after = before;
  after.participants[0].hand_raised = true;
  after.participants[0].speaking = true;
  after.hand_raised = true;
  auto events = api_events(before, after, "");
  REQUIRE(types(events) ==
          std::vector<std::string>{"participant-updated", "speaking-changed", "hand-changed"});
  CHECK(events[0].detail["handRaised"] == true);
  CHECK(events[1].detail == nlohmann::json{{"participant", "b0b"}, {"speaking", true}});
  CHECK(events[2].detail == nlohmann::json{{"raised", true}});
  ApiState worse = after;
  worse.participants[0].quality = "poor";
  CHECK(types(api_events(after, worse, "")) == std::vector<std::string>{"participant-updated"});
}
