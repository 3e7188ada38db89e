#include "incoming_frame.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "json_fields.hpp"

namespace videochat::client {

namespace {

using nlohmann::json;
using protocol::ConnectionId;
using protocol::LeaveReason;

ParseError bad_field(std::string detail) {
  return {ParseProblem::BadField, std::move(detail)};
}

const std::string* participant_field(const json& object) {
  const std::string* id = detail::string_field(object, "participantConnectionId");
  return id && !id->empty() ? id : nullptr;
}

// A participant entry: `participantConnectionId`, and the optional `peerId` and `name`.
Parsed<Participant> participant_from_json(const json& object, const std::string& where) {
  if (!object.is_object()) return bad_field(where + " must be an object");
  const std::string* id = participant_field(object);
  if (!id) return bad_field(where + ".participantConnectionId must be a non-empty string");
  auto peer_id = detail::nullable_string_field(object, "peerId");
  if (!peer_id.ok) return bad_field(where + ".peerId must be a string or null");
  auto name = detail::nullable_string_field(object, "name");
  if (!name.ok) return bad_field(where + ".name must be a string or null");
  return Participant{ConnectionId{*id}, std::move(peer_id.value), std::move(name.value)};
}

Parsed<IncomingFrame> joined_from_json(const json& object) {
  const std::string* room = detail::string_field(object, "roomId");
  if (!room || !protocol::is_valid_room_id(*room)) return bad_field("roomId must be a room id");
  const std::string* own = detail::string_field(object, "connectionId");
  if (!own || own->empty()) return bad_field("connectionId must be a non-empty string");
  auto token = detail::nullable_string_field(object, "resumeToken");
  if (!token.ok) return bad_field("resumeToken must be a string or null");
  Joined joined{protocol::RoomId{*room}, ConnectionId{*own}, std::move(token.value), {}};
  auto list = object.find("participants");
  if (list != object.end() && !list->is_null()) {
    if (!list->is_array()) return bad_field("participants must be an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto entry = participant_from_json((*list)[i], "participants[" + std::to_string(i) + "]");
      if (auto* error = std::get_if<ParseError>(&entry)) return std::move(*error);
      joined.participants.push_back(std::move(std::get<Participant>(entry)));
    }
  }
  return joined;
}

Parsed<IncomingFrame> as_signal(const json& object) {
  auto signal = signal_message_from_json(object);
  if (auto* error = std::get_if<ParseError>(&signal)) return std::move(*error);
  return std::move(std::get<SignalMessage>(signal));
}

}  // namespace

Parsed<IncomingFrame> parse_incoming_frame(std::string_view text) {
  json object = json::parse(text.begin(), text.end(), nullptr, false);
  if (object.is_discarded()) return ParseError{ParseProblem::NotJson, "frame is not JSON"};
  if (!object.is_object()) {
    return ParseError{ParseProblem::NotAnObject, "frame is not a JSON object"};
  }
  // Our server splices "from" into every relayed object and never writes it in its own frames:
  // with it, a frame is another member's message, whatever its "type" (a member could otherwise
  // send {"type":"error","code":"ROOM_FULL"} and eject everyone, or a forged participantResumed).
  if (object.contains("from")) return as_signal(object);
  const std::string* type = detail::string_field(object, "type");
  if (!type) return bad_field("type must be a string");

  if (*type == protocol::kTypeJoined) return joined_from_json(object);
  if (*type == protocol::kTypeNewParticipant) {
    auto participant = participant_from_json(object, "newParticipant");
    if (auto* error = std::get_if<ParseError>(&participant)) return std::move(*error);
    return NewParticipant{std::move(std::get<Participant>(participant))};
  }
  if (*type == protocol::kTypeParticipantResumed) {
    const std::string* previous = detail::string_field(object, "previousConnectionId");
    if (!previous || previous->empty()) {
      return bad_field("previousConnectionId must be a non-empty string");
    }
    auto participant = participant_from_json(object, "participantResumed");
    if (auto* error = std::get_if<ParseError>(&participant)) return std::move(*error);
    return ParticipantResumed{ConnectionId{*previous},
                              std::move(std::get<Participant>(participant))};
  }
  if (*type == protocol::kTypePong) return Pong{};
  if (*type == protocol::kTypeParticipantLeft) {
    const std::string* id = participant_field(object);
    if (!id) return bad_field("participantConnectionId must be a non-empty string");
    const std::string* reason = detail::string_field(object, "reason");
    bool left = reason && *reason == protocol::to_string(LeaveReason::Left);
    return ParticipantLeft{ConnectionId{*id}, left ? LeaveReason::Left : LeaveReason::Disconnected};
  }
  if (*type == protocol::kTypeError) {
    const std::string* code = detail::string_field(object, "code");
    const std::string* message = detail::string_field(object, "message");
    if (!code) return bad_field("error code must be a string");
    if (!message) return bad_field("error message must be a string");
    return ServerError{*code, *message};
  }

  return as_signal(object);
}

}  // namespace videochat::client
