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

bool is_valid_peer_id(std::string_view candidate) {
  if (candidate.size() != kPeerIdLength) return false;
  return std::all_of(candidate.begin(), candidate.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<PeerId> parse_peer_id(std::string_view candidate) {
  if (!is_valid_peer_id(candidate)) return std::nullopt;
  return PeerId{std::string(candidate)};
}

namespace {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) low = 0xA0;   // overlong
      if (byte == 0xED) high = 0x9F;  // surrogates
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) low = 0x90;   // overlong
      if (byte == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

std::optional<NameProblem> check_name(std::string_view candidate) {
  if (candidate.empty()) return NameProblem::Empty;
  if (candidate.size() > kMaxNameBytes) return NameProblem::TooLong;
  if (!is_utf8(candidate)) return NameProblem::InvalidUtf8;
  // Bytes below 0x80 are whole characters in UTF-8, so a byte test finds exactly the controls.
  if (std::any_of(candidate.begin(), candidate.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
      })) {
    return NameProblem::ControlCharacter;
  }
  return std::nullopt;
}

std::string_view describe(NameProblem problem) {
  switch (problem) {
    case NameProblem::Empty:
      return "name must not be empty (leave it out instead)";
    case NameProblem::TooLong:
      return "name must be at most 64 bytes of UTF-8";
    case NameProblem::InvalidUtf8:
      return "name must be valid UTF-8";
    case NameProblem::ControlCharacter:
      return "name must not contain control characters (U+0000-U+001F, U+007F)";
  }
  return "name is invalid";
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
    case ErrorCode::PeerIdInUse:
      return "PEER_ID_IN_USE";
    case ErrorCode::UnknownRecipient:
      return "UNKNOWN_RECIPIENT";
    case ErrorCode::InternalError:
      return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

namespace {

// Names are validated UTF-8, but a serializer must never throw on what a client sent.
std::string dump(const nlohmann::json& frame) {
  return frame.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Adds the profile's fields that are present; absent ones are left out, not null.
void add_profile(nlohmann::json& object, const ParticipantProfile& profile) {
  if (profile.peer_id) object["peerId"] = profile.peer_id->value;
  if (profile.name) object["name"] = *profile.name;
}

nlohmann::json participant_object(const ConnectionId& connection,
                                  const ParticipantProfile& profile) {
  nlohmann::json object{{"participantConnectionId", connection.value}};
  add_profile(object, profile);
  return object;
}

}  // namespace

std::string joined_message(const JoinedFrame& frame) {
  nlohmann::json participants = nlohmann::json::array();
  for (const Participant& other : frame.participants) {
    participants.push_back(participant_object(other.connection, other.profile));
  }
  nlohmann::json object{{"type", kTypeJoined},
                        {"roomId", frame.room.value},
                        {"connectionId", frame.connection.value},
                        {"capacity", frame.capacity},
                        {"participants", std::move(participants)}};
  add_profile(object, frame.profile);
  if (frame.resume_token) object["resumeToken"] = *frame.resume_token;
  return dump(object);
}

std::string new_participant_message(const ConnectionId& newcomer,
                                    const ParticipantProfile& profile) {
  nlohmann::json object = participant_object(newcomer, profile);
  object["type"] = kTypeNewParticipant;
  return dump(object);
}

std::string participant_resumed_message(const ConnectionId& previous, const ConnectionId& current,
                                        const ParticipantProfile& profile) {
  nlohmann::json object = participant_object(current, profile);
  object["type"] = kTypeParticipantResumed;
  object["previousConnectionId"] = previous.value;
  return dump(object);
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
