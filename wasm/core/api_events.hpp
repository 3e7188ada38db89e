// What an embedding page hears about the call: the events of the element's API (`joined`,
// `participant-joined`, `microphone-changed`…; docs/embedding.md), found by comparing what the
// API shows before and after each change of the app's state. One rule for every cause: a change
// the page can see makes exactly one event, and nothing else makes any.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace videochat::client {

struct ApiParticipant {
  std::string id;  // the peer's page-lifetime id (its connection id for a tutorial client)
  std::string name;
  std::string state;  // "connecting", "connected", …: the call machine's words
  bool screen_sharing = false;
  bool chat = false;  // it said hello on the data channel: it can receive chat messages
  bool hand_raised = false;
  bool speaking = false;
  std::string quality = "unknown";  // the link's: "good", "fair", "poor", "unknown"
  bool operator==(const ApiParticipant&) const = default;
};

struct ApiState {
  // The room the server let us into, kept while signaling is down (the call goes on); none in
  // the lobby and while a join waits for the server.
  std::optional<std::string> joined_room;
  std::string own_id;
  std::vector<ApiParticipant> participants;  // only while joined
  bool microphone_on = true;
  bool camera_on = true;
  bool screen_sharing = false;
  bool hand_raised = false;
  std::string signaling;  // "offline", "connecting", "online", "retrying"
  bool operator==(const ApiState&) const = default;
};

struct ApiEvent {
  std::string type;
  nlohmann::json detail;
  bool operator==(const ApiEvent&) const = default;
};

// The events that take an API from `before` to `after`, in the order a page should hear them:
// leaving the old room before joining the new one, the participants after the join that shows
// them. `left_reason` is what `left` says of why (the client says "left": it leaves rooms only when
// asked).
std::vector<ApiEvent> api_events(const ApiState& before, const ApiState& after,
                                 const std::string& left_reason);

// The state as getState() and getParticipants() return it.
nlohmann::json to_json(const ApiState& state);
nlohmann::json to_json(const ApiParticipant& participant);

}  // namespace videochat::client
