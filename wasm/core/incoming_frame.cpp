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

}  // namespace

Parsed<IncomingFrame> parse_incoming_frame(std::string_view text) {
  json object = json::parse(text.begin(), text.end(), nullptr, false);
  if (object.is_discarded()) return ParseError{ParseProblem::NotJson, "frame is not JSON"};
  if (!object.is_object()) {
    return ParseError{ParseProblem::NotAnObject, "frame is not a JSON object"};
  }
  const std::string* type = detail::string_field(object, "type");
  if (!type) return bad_field("type must be a string");

  if (*type == protocol::kTypeNewParticipant) {
    const std::string* id = participant_field(object);
    if (!id) return bad_field("participantConnectionId must be a non-empty string");
    return NewParticipant{ConnectionId{*id}};
  }
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

  auto signal = signal_message_from_json(object);
  if (auto* error = std::get_if<ParseError>(&signal)) return std::move(*error);
  return std::move(std::get<SignalMessage>(signal));
}

}  // namespace videochat::client
