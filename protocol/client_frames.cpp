#include "client_frames.hpp"

#include "json_reader.hpp"
#include "object_text.hpp"

namespace videochat::protocol {

namespace {

ClientFrameError bad_request(std::string message, Action action) {
  return {ErrorCode::BadRequest, std::move(message), action};
}

// The top-level members a client frame may have, as the reader found them (a key given twice
// counts as its last occurrence, as in nlohmann); the rest are ignored.
struct FrameMembers final : MemberSink {
  std::optional<JsonMember> action, room, peer, name, token, message, to, passcode, locked;

  void member(const JsonMember& found) override {
    const std::array<std::pair<std::string_view, std::optional<JsonMember>*>, 9> slots = {{
        {"action", &action},
        {"roomId", &room},
        {"peerId", &peer},
        {"name", &name},
        {"resumeToken", &token},
        {"message", &message},
        {"to", &to},
        {"passcode", &passcode},
        {"locked", &locked},
    }};
    for (const auto& [key, slot] : slots) {
      if (decoded_equals(found.key, found.key_has_escapes, key)) {
        *slot = found;
        return;
      }
    }
  }
};

// A string member's contents (between the quotes), or nothing when it is not a string.
std::optional<std::string_view> string_contents(const JsonMember& member) {
  if (member.kind != JsonKind::String) return std::nullopt;
  return member.value.substr(1, member.value.size() - 2);
}

// `out` set to a member that must be a string; false when it is not one.
bool read_string(const JsonMember& member, std::string& out) {
  auto contents = string_contents(member);
  if (!contents) return false;
  assign_decoded(out, *contents);
  return true;
}

template <class T>
T& reuse(ClientFrame& frame) {
  if (auto* same = std::get_if<T>(&frame)) return *same;
  return frame.emplace<T>();
}

std::optional<ClientFrameError> read_room(const std::optional<JsonMember>& member, Action action,
                                          RoomId& out) {
  if (!member) return bad_request("roomId is required", action);
  if (!read_string(*member, out.value)) return bad_request("roomId must be a string", action);
  if (!is_valid_room_id(out.value)) {
    return bad_request(
        "roomId must be 1 to 128 bytes of UTF-8, with A-Z a-z 0-9 _ - its only ASCII characters",
        action);
  }
  return std::nullopt;
}

std::optional<ClientFrameError> join_room(const FrameMembers& members, ClientFrame& frame) {
  constexpr Action kAction = Action::JoinRoom;
  JoinRoom& join = reuse<JoinRoom>(frame);
  if (auto error = read_room(members.room, kAction, join.room)) return error;
  join.profile = {};
  join.resume_token.reset();
  if (members.peer) {
    std::string peer;
    if (!read_string(*members.peer, peer)) {
      return bad_request("peerId must be a string of 32 lowercase hex characters", kAction);
    }
    join.profile.peer_id = parse_peer_id(peer);
    if (!join.profile.peer_id) {
      return bad_request("peerId must be 32 lowercase hex characters (a random 128-bit id)",
                         kAction);
    }
  }
  if (members.name) {
    std::string name;
    if (!read_string(*members.name, name)) return bad_request("name must be a string", kAction);
    if (auto problem = check_name(name))
      return bad_request(std::string(describe(*problem)), kAction);
    join.profile.name = std::move(name);
  }
  if (members.token) {
    std::string token;
    if (!read_string(*members.token, token)) {
      return bad_request("resumeToken must be a string", kAction);
    }
    if (!join.profile.peer_id) {
      return bad_request("resumeToken needs the peerId it was issued for", kAction);
    }
    join.resume_token = std::move(token);
  }
  join.passcode.reset();
  if (members.passcode) {
    std::string passcode;
    if (!read_string(*members.passcode, passcode)) {
      return bad_request("passcode must be a string", kAction);
    }
    if (auto problem = check_passcode(passcode)) {
      return bad_request(std::string(describe(*problem)), kAction);
    }
    join.passcode = std::move(passcode);
  }
  return std::nullopt;
}

std::optional<ClientFrameError> lock_room(const FrameMembers& members, ClientFrame& frame) {
  constexpr Action kAction = Action::LockRoom;
  LockRoom& lock = reuse<LockRoom>(frame);
  if (auto error = read_room(members.room, kAction, lock.room)) return error;
  if (!members.locked) return bad_request("locked is required: true or false", kAction);
  if (members.locked->kind != JsonKind::True && members.locked->kind != JsonKind::False) {
    return bad_request("locked must be true or false", kAction);
  }
  lock.locked = members.locked->kind == JsonKind::True;
  return std::nullopt;
}

// Relayed message after message: the strings it reuses keep their capacity, so a server reading
// into the same frame allocates nothing for it once warm.
std::optional<ClientFrameError> send_msg_to_room(const FrameMembers& members, ClientFrame& frame) {
  constexpr Action kAction = Action::SendMsgToRoom;
  SendMsgToRoom& send = reuse<SendMsgToRoom>(frame);
  if (auto error = read_room(members.room, kAction, send.room)) return error;
  if (!members.message) return bad_request("message is required", kAction);
  if (!read_string(*members.message, send.message)) {
    return bad_request("message must be a string", kAction);
  }
  if (members.to && members.to->kind != JsonKind::String) {
    return bad_request("to must be a connection id string", kAction);
  }
  if (members.to) {
    if (!send.to) send.to.emplace();
    read_string(*members.to, send.to->value);
  } else {
    send.to.reset();
  }
  return std::nullopt;
}

std::optional<ClientFrameError> leave_room(const FrameMembers& members, ClientFrame& frame) {
  LeaveRoom& leave = reuse<LeaveRoom>(frame);
  if (!members.room) {
    leave.room.reset();
    return std::nullopt;
  }
  if (!leave.room) leave.room.emplace();
  return read_room(members.room, Action::LeaveRoom, *leave.room);
}

}  // namespace

std::optional<Action> parse_action(std::string_view wire) {
  for (Action action : kActions) {
    if (to_string(action) == wire) return action;
  }
  return std::nullopt;
}

Action action_of(const ClientFrame& frame) {
  return kActions[frame.index()];
}

std::optional<ClientFrameError> parse_client_frame(std::string_view text, ClientFrame& frame) {
  FrameMembers members;
  const JsonRead read = read_json(text, &members);
  if (read.verdict == JsonVerdict::TooDeep) {
    return ClientFrameError{ErrorCode::BadJson,
                            "the message nests arrays and objects deeper than " +
                                std::to_string(kMaxJsonDepth) + " levels",
                            std::nullopt};
  }
  if (read.verdict != JsonVerdict::Valid) {
    return ClientFrameError{ErrorCode::BadJson,
                            "the message is not valid JSON: " + std::string(read.problem),
                            std::nullopt};
  }
  if (read.kind != JsonKind::Object) {
    return ClientFrameError{ErrorCode::BadRequest, "the message must be a JSON object",
                            std::nullopt};
  }
  if (!members.action) {
    return ClientFrameError{ErrorCode::BadRequest, "action is required", std::nullopt};
  }
  auto wire = string_contents(*members.action);
  if (!wire) {
    return ClientFrameError{ErrorCode::BadRequest, "action must be a string", std::nullopt};
  }
  std::optional<Action> action;
  for (Action known : kActions) {
    if (decoded_equals(*wire, wire->find('\\') != wire->npos, to_string(known))) {
      action = known;
    }
  }
  if (!action) {
    std::string named;
    append_decoded(named, *wire);
    return ClientFrameError{
        ErrorCode::UnknownAction,
        "unknown action '" + named +
            "'; expected joinRoom, sendMsgToRoom, leaveRoom, ping or lockRoom",
        std::nullopt};
  }
  switch (*action) {
    case Action::JoinRoom:
      return join_room(members, frame);
    case Action::SendMsgToRoom:
      return send_msg_to_room(members, frame);
    case Action::LeaveRoom:
      return leave_room(members, frame);
    case Action::Ping:
      reuse<Ping>(frame);
      return std::nullopt;
    case Action::LockRoom:
      return lock_room(members, frame);
  }
  return std::nullopt;
}

ParsedClientFrame parse_client_frame(std::string_view text) {
  ClientFrame frame;
  if (auto error = parse_client_frame(text, frame)) return std::move(*error);
  return frame;
}

std::string to_text(const ClientFrame& frame) {
  ObjectText out;
  out.field("action", to_string(action_of(frame)));
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, JoinRoom>) {
          out.field("roomId", value.room.value);
          if (value.profile.peer_id) out.field("peerId", value.profile.peer_id->value);
          if (value.profile.name) out.field("name", *value.profile.name);
          if (value.resume_token) out.field("resumeToken", *value.resume_token);
          if (value.passcode) out.field("passcode", *value.passcode);
        } else if constexpr (std::is_same_v<T, SendMsgToRoom>) {
          out.field("roomId", value.room.value);
          out.field("message", value.message);
          if (value.to) out.field("to", value.to->value);
        } else if constexpr (std::is_same_v<T, LeaveRoom>) {
          if (value.room) out.field("roomId", value.room->value);
        } else if constexpr (std::is_same_v<T, LockRoom>) {
          out.field("roomId", value.room.value);
          out.field("locked", value.locked);
        }
      },
      frame);
  return std::move(out).finish();
}

}  // namespace videochat::protocol
