#include "client_frames.hpp"

#include <nlohmann/json.hpp>

#include "json_fields.hpp"

namespace videochat::client {

using nlohmann::json;

std::string join_room_frame(const protocol::RoomId& room, const JoinDetails& details) {
  json frame{{"action", protocol::kActionJoinRoom}, {"roomId", room.value}};
  if (details.peer_id) frame["peerId"] = *details.peer_id;
  if (details.name && !details.name->empty()) frame["name"] = *details.name;
  if (details.peer_id && details.resume_token) frame["resumeToken"] = *details.resume_token;
  return detail::dump(frame);
}

std::string send_to_room_frame(const protocol::RoomId& room, std::string_view message,
                               const std::optional<protocol::ConnectionId>& to) {
  json frame{
      {"action", protocol::kActionSendMsgToRoom}, {"roomId", room.value}, {"message", message}};
  if (to) frame["to"] = to->value;
  return detail::dump(frame);
}

std::string ping_frame() {
  return nlohmann::json{{"action", protocol::kActionPing}}.dump();
}

std::string leave_room_frame(const protocol::RoomId& room) {
  return detail::dump(json{{"action", protocol::kActionLeaveRoom}, {"roomId", room.value}});
}

}  // namespace videochat::client
