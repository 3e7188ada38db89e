#include "wire_protocol.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace videochat::protocol {

bool is_valid_room_id(std::string_view candidate) {
  if (candidate.empty() || candidate.size() > kMaxRoomIdLength) return false;
  return std::all_of(candidate.begin(), candidate.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::optional<RoomId> parse_room_id(std::string_view candidate) {
  if (!is_valid_room_id(candidate)) return std::nullopt;
  return RoomId{std::string(candidate)};
}

std::string_view to_string(LeaveReason reason) {
  switch (reason) {
    case LeaveReason::Left:
      return "left";
    case LeaveReason::Disconnected:
      return "disconnected";
  }
  return "disconnected";
}

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadJson:
      return "BAD_JSON";
    case ErrorCode::BadRequest:
      return "BAD_REQUEST";
    case ErrorCode::UnknownAction:
      return "UNKNOWN_ACTION";
    case ErrorCode::NotInRoom:
      return "NOT_IN_ROOM";
    case ErrorCode::RoomFull:
      return "ROOM_FULL";
    case ErrorCode::MessageTooLarge:
      return "MESSAGE_TOO_LARGE";
    case ErrorCode::InternalError:
      return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

std::string new_participant_message(const ConnectionId& newcomer) {
  return nlohmann::json{{"type", kTypeNewParticipant}, {"participantConnectionId", newcomer.value}}
      .dump();
}

std::string participant_left_message(const ConnectionId& leaver, LeaveReason reason) {
  return nlohmann::json{{"type", kTypeParticipantLeft},
                        {"participantConnectionId", leaver.value},
                        {"reason", to_string(reason)}}
      .dump();
}

std::string error_message(ErrorCode code, std::string_view human_message) {
  // Replace invalid UTF-8 rather than throw: the text may quote untrusted input.
  return nlohmann::json{{"type", kTypeError}, {"code", to_string(code)}, {"message", human_message}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string pong_message() { return nlohmann::json{{"type", kTypePong}}.dump(); }

}  // namespace videochat::protocol
