#include "client_frames.hpp"

#include <nlohmann/json.hpp>

#include "json_fields.hpp"

namespace videochat::client {

using nlohmann::json;

std::string join_room_frame(const protocol::RoomId& room) {
  return detail::dump(json{{"action", protocol::kActionJoinRoom}, {"roomId", room.value}});
}

std::string send_to_room_frame(const protocol::RoomId& room, std::string_view message) {
  return detail::dump(json{
      {"action", protocol::kActionSendMsgToRoom}, {"roomId", room.value}, {"message", message}});
}

std::string ping_frame() { return nlohmann::json{{"action", protocol::kActionPing}}.dump(); }

std::string leave_room_frame(const protocol::RoomId& room) {
  return detail::dump(json{{"action", protocol::kActionLeaveRoom}, {"roomId", room.value}});
}

}  // namespace videochat::client
