#include "client_frames.hpp"

#include <nlohmann/json.hpp>

#include "object_text.hpp"

namespace videochat::protocol {

namespace {

using nlohmann::json;

ClientFrameError bad_request(std::string message, Action action) {
  return {ErrorCode::BadRequest, std::move(message), action};
}

// A field that is absent, or a string; anything else is refused with `what_it_is`.
struct StringField {
  const std::string* text = nullptr;  // null when absent
  bool ok = true;
};
StringField optional_string(const json& frame, const char* name) {
  auto it = frame.find(name);
  if (it == frame.end()) return {};
  if (!it->is_string()) return {nullptr, false};
  return {&it->get_ref<const std::string&>(), true};
}

using RoomField = std::variant<std::optional<RoomId>, ClientFrameError>;
RoomField room_field(const json& frame, Action action, bool required) {
  auto it = frame.find("roomId");
  if (it == frame.end()) {
    if (!required) return std::optional<RoomId>{};
    return bad_request("roomId is required", action);
  }
  if (!it->is_string()) return bad_request("roomId must be a string", action);
  auto room = parse_room_id(it->get_ref<const std::string&>());
  if (!room) return bad_request("roomId must be 1 to 64 characters of A-Z a-z 0-9 _ -", action);
  return room;
}

using Result = ParsedClientFrame;

Result join_room(const json& frame) {
  constexpr Action kAction = Action::JoinRoom;
  auto room = room_field(frame, kAction, /*required=*/true);
  if (auto* error = std::get_if<ClientFrameError>(&room)) return std::move(*error);
  JoinRoom join{**std::get_if<std::optional<RoomId>>(&room), {}, std::nullopt};

  auto peer = optional_string(frame, "peerId");
  if (!peer.ok) return bad_request("peerId must be a string of 32 lowercase hex characters", kAction);
  if (peer.text) {
    join.profile.peer_id = parse_peer_id(*peer.text);
    if (!join.profile.peer_id) {
      return bad_request("peerId must be 32 lowercase hex characters (a random 128-bit id)",
                         kAction);
    }
  }
  auto name = optional_string(frame, "name");
  if (!name.ok) return bad_request("name must be a string", kAction);
  if (name.text) {
    if (auto problem = check_name(*name.text)) {
      return bad_request(std::string(describe(*problem)), kAction);
    }
    join.profile.name = *name.text;
  }
  auto token = optional_string(frame, "resumeToken");
  if (!token.ok) return bad_request("resumeToken must be a string", kAction);
  if (token.text) {
    if (!join.profile.peer_id) {
      return bad_request("resumeToken needs the peerId it was issued for", kAction);
    }
    join.resume_token = *token.text;
  }
  return join;
}

// Takes the message out of the parsed document rather than copy it: it is the per-message payload.
Result send_msg_to_room(json& frame) {
  constexpr Action kAction = Action::SendMsgToRoom;
  auto room = room_field(frame, kAction, /*required=*/true);
  if (auto* error = std::get_if<ClientFrameError>(&room)) return std::move(*error);
  auto message = frame.find("message");
  if (message == frame.end()) return bad_request("message is required", kAction);
  if (!message->is_string()) return bad_request("message must be a string", kAction);
  auto to = optional_string(frame, "to");
  if (!to.ok) return bad_request("to must be a connection id string", kAction);
  SendMsgToRoom send{**std::get_if<std::optional<RoomId>>(&room),
                     std::move(message->get_ref<std::string&>()), std::nullopt};
  if (to.text) send.to = ConnectionId{*to.text};
  return send;
}

Result leave_room(const json& frame) {
  auto room = room_field(frame, Action::LeaveRoom, /*required=*/false);
  if (auto* error = std::get_if<ClientFrameError>(&room)) return std::move(*error);
  return LeaveRoom{std::move(*std::get_if<std::optional<RoomId>>(&room))};
}

}  // namespace

std::optional<Action> parse_action(std::string_view wire) {
  for (Action action : kActions) {
    if (to_string(action) == wire) return action;
  }
  return std::nullopt;
}

Action action_of(const ClientFrame& frame) { return kActions[frame.index()]; }

ParsedClientFrame parse_client_frame(std::string_view text) {
  json frame = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (frame.is_discarded()) {
    return ClientFrameError{ErrorCode::BadJson, "the message is not valid JSON", std::nullopt};
  }
  if (!frame.is_object()) {
    return ClientFrameError{ErrorCode::BadRequest, "the message must be a JSON object",
                            std::nullopt};
  }
  auto name = frame.find("action");
  if (name == frame.end()) {
    return ClientFrameError{ErrorCode::BadRequest, "action is required", std::nullopt};
  }
  if (!name->is_string()) {
    return ClientFrameError{ErrorCode::BadRequest, "action must be a string", std::nullopt};
  }
  const auto& wire = name->get_ref<const std::string&>();
  auto action = parse_action(wire);
  if (!action) {
    return ClientFrameError{ErrorCode::UnknownAction,
                            "unknown action '" + wire +
                                "'; expected joinRoom, sendMsgToRoom, leaveRoom or ping",
                            std::nullopt};
  }
  switch (*action) {
    case Action::JoinRoom:
      return join_room(frame);
    case Action::SendMsgToRoom:
      return send_msg_to_room(frame);
    case Action::LeaveRoom:
      return leave_room(frame);
    case Action::Ping:
      return Ping{};
  }
  return Ping{};
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
        } else if constexpr (std::is_same_v<T, SendMsgToRoom>) {
          out.field("roomId", value.room.value);
          out.field("message", value.message);
          if (value.to) out.field("to", value.to->value);
        } else if constexpr (std::is_same_v<T, LeaveRoom>) {
          if (value.room) out.field("roomId", value.room->value);
        }
      },
      frame);
  return std::move(out).finish();
}

}  // namespace videochat::protocol
