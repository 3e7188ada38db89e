// The frames the client sends to the signaling server; API Gateway routes each by its "action".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wire_protocol.hpp"

namespace videochat::client {

// Who we are to the room (protocol v2): absent fields are left out, which gives the tutorial's
// frame exactly.
struct JoinDetails {
  std::optional<std::string> peer_id;
  std::optional<std::string> name;
  std::optional<std::string> resume_token;
};

std::string join_room_frame(const protocol::RoomId& room, const JoinDetails& details = {});
// `message` goes to the member `to` names, or to every other member of the room without it.
std::string send_to_room_frame(const protocol::RoomId& room, std::string_view message,
                               const std::optional<protocol::ConnectionId>& to = std::nullopt);
std::string leave_room_frame(const protocol::RoomId& room);
// Sent every few minutes while in a room, so API Gateway's idle timeout never cuts a quiet call.
std::string ping_frame();

}  // namespace videochat::client
