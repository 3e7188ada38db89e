#include "api_events.hpp"

#include <algorithm>

namespace videochat::client {

namespace {

using nlohmann::json;

const ApiParticipant* find(const std::vector<ApiParticipant>& participants, const std::string& id) {
  auto it = std::find_if(participants.begin(), participants.end(),
                         [&](const ApiParticipant& p) { return p.id == id; });
  return it == participants.end() ? nullptr : &*it;
}

void participant_changes(const ApiState& before, const ApiState& after,
                         std::vector<ApiEvent>& events) {
  for (const auto& gone : before.participants) {
    if (!find(after.participants, gone.id)) {
      events.push_back({"participant-left", to_json(gone)});
    }
  }
  for (const auto& now : after.participants) {
    const ApiParticipant* was = find(before.participants, now.id);
    if (!was) {
      events.push_back({"participant-joined", to_json(now)});
      continue;
    }
    if (was->name != now.name || was->screen_sharing != now.screen_sharing ||
        was->chat != now.chat || was->hand_raised != now.hand_raised ||
        was->quality != now.quality) {
      events.push_back({"participant-updated", to_json(now)});
    }
    // Speaking comes and goes with every sentence: an event of its own, not a whole update.
    if (was->speaking != now.speaking) {
      events.push_back({"speaking-changed", {{"participant", now.id}, {"speaking", now.speaking}}});
    }
    if (was->state != now.state) {
      events.push_back(
          {"connection-state-changed", {{"participant", now.id}, {"state", now.state}}});
    }
  }
}

}  // namespace

json to_json(const ApiParticipant& participant) {
  return {{"id", participant.id},
          {"name", participant.name},
          {"state", participant.state},
          {"screenSharing", participant.screen_sharing},
          {"chat", participant.chat},
          {"handRaised", participant.hand_raised},
          {"speaking", participant.speaking},
          {"quality", participant.quality}};
}

json to_json(const ApiState& state) {
  json participants = json::array();
  for (const auto& participant : state.participants) participants.push_back(to_json(participant));
  return {{"room", state.joined_room ? json(*state.joined_room) : json(nullptr)},
          {"id", state.own_id},
          {"joined", state.joined_room.has_value()},
          {"participants", participants},
          {"microphone", state.microphone_on},
          {"camera", state.camera_on},
          {"screenSharing", state.screen_sharing},
          {"handRaised", state.hand_raised},
          {"signaling", state.signaling}};
}

std::vector<ApiEvent> api_events(const ApiState& before, const ApiState& after,
                                 const std::string& left_reason) {
  std::vector<ApiEvent> events;
  if (before.signaling != after.signaling) {
    events.push_back({"connection-state-changed", {{"signaling", after.signaling}}});
  }
  const bool room_changed = before.joined_room != after.joined_room;
  if (room_changed && before.joined_room) {
    // Everyone is gone with the room, before the room is.
    ApiState emptied = before;
    emptied.participants.clear();
    participant_changes(before, emptied, events);
    events.push_back({"left", {{"room", *before.joined_room}, {"reason", left_reason}}});
  }
  if (room_changed && after.joined_room) {
    events.push_back({"joined", {{"room", *after.joined_room}, {"id", after.own_id}}});
  }
  ApiState from = before;
  if (room_changed) from.participants.clear();
  participant_changes(from, after, events);
  if (before.microphone_on != after.microphone_on) {
    events.push_back({"microphone-changed", {{"on", after.microphone_on}}});
  }
  if (before.camera_on != after.camera_on) {
    events.push_back({"camera-changed", {{"on", after.camera_on}}});
  }
  if (before.screen_sharing != after.screen_sharing) {
    events.push_back({"screen-share-changed", {{"on", after.screen_sharing}}});
  }
  if (before.hand_raised != after.hand_raised) {
    events.push_back({"hand-changed", {{"raised", after.hand_raised}}});
  }
  return events;
}

}  // namespace videochat::client
