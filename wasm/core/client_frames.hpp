// The frames the client sends to the signaling server; API Gateway routes each by its "action".
#pragma once

#include <string>
#include <string_view>

#include "wire_protocol.hpp"

namespace videochat::client {

std::string join_room_frame(const protocol::RoomId& room);
// `message` goes to every other member of the room unchanged, as one string.
std::string send_to_room_frame(const protocol::RoomId& room, std::string_view message);
std::string leave_room_frame(const protocol::RoomId& room);
// Sent every few minutes while in a room, so API Gateway's idle timeout never cuts a quiet call.
std::string ping_frame();

}  // namespace videochat::client
