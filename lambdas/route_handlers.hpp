// The WebSocket API's routes and their handlers. `kRoutes` is the one list of route keys: the
// local emulator routes by it and the deployment template is checked against it.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "connections_api.hpp"
#include "epoch_time.hpp"
#include "logger.hpp"
#include "resume_token.hpp"
#include "room_store.hpp"
#include "turn_credentials.hpp"
#include "websocket_event.hpp"

namespace videochat::lambdas {

struct HandlerConfig {
  // Origins allowed to open a connection besides the server's own; "*" allows every page
  // (origin_policy.hpp).
  std::vector<std::string> allowed_origins;
  // The largest `message` relayed by sendMsgToRoom, in bytes.
  std::size_t max_message_bytes = 64 * 1024;
  // The HMAC key of resume tokens (resume_token.hpp). The edges insist on at least
  // kMinResumeSecretBytes; whoever knows it can take over any peerId in any room.
  std::string resume_secret;
  // How long a resume token is good for after the join that issued it.
  std::chrono::seconds resume_token_lifetime = kDefaultResumeTokenLifetime;
  // The TURN relay whose short-lived credentials each joiner gets in `joined`; off when empty.
  TurnConfig turn;
  // Now, in epoch seconds (tokens and TURN credentials expire by it); tests set their own.
  std::function<std::int64_t()> clock = [] { return epoch_seconds_now(); };
};

// What a handler works with: the world beyond it, reached only through these interfaces.
struct HandlerServices {
  RoomStore& store;
  ConnectionsApi& connections;
  Logger& log;
  const HandlerConfig& config;
};

HandlerResponse on_connect(const WebSocketEvent& event, HandlerServices& services);
HandlerResponse on_disconnect(const WebSocketEvent& event, HandlerServices& services);
// The message routes take the frame already validated (protocol/client_frames.hpp) and who sent it.
// A join counts wrong passcodes by the sender's connection and by its source address (the peer's
// IP address; empty when unknown).
HandlerResponse on_join_room(const protocol::JoinRoom& frame, const ConnectionId& sender,
                             HandlerServices& services, std::string_view source_address = {});
HandlerResponse on_send_msg_to_room(const protocol::SendMsgToRoom& frame,
                                    const ConnectionId& sender, HandlerServices& services);
HandlerResponse on_leave_room(const protocol::LeaveRoom& frame, const ConnectionId& sender,
                              HandlerServices& services);
HandlerResponse on_ping(const protocol::Ping& frame, const ConnectionId& sender,
                        HandlerServices& services);
HandlerResponse on_lock_room(const protocol::LockRoom& frame, const ConnectionId& sender,
                             HandlerServices& services);

inline constexpr std::string_view kRouteConnect = "$connect";
inline constexpr std::string_view kRouteDisconnect = "$disconnect";
inline constexpr std::string_view kRouteDefault = "$default";

// Every route the deployment must define: the predefined three and one per protocol action.
inline constexpr std::array<std::string_view, 8> kRoutes = {
    kRouteConnect,
    kRouteDisconnect,
    kRouteDefault,
    protocol::to_string(protocol::Action::JoinRoom),
    protocol::to_string(protocol::Action::SendMsgToRoom),
    protocol::to_string(protocol::Action::LeaveRoom),
    protocol::to_string(protocol::Action::Ping),
    protocol::to_string(protocol::Action::LockRoom),
};

// API Gateway's route selection for `$request.body.action`: the action's route when the body is
// a JSON object whose `action` names one, `$default` otherwise.
std::string_view select_route(std::string_view body);
// The same, for a body already parsed.
std::string_view select_route(const protocol::ParsedClientFrame& parsed);
// The route of a frame the parser refused: its action's when it named a known one.
std::string_view route_of(const protocol::ClientFrameError& refused);

// Runs the handler for the event: $connect and $disconnect by route key; a message by the action of
// its frame, read once, a refused frame answered with its error. An unknown route key is answered
// 404 (API Gateway would never invoke us with one, but a misconfigured deployment might).
HandlerResponse dispatch(const WebSocketEvent& event, HandlerServices& services);

// What dispatch does with a message, for a caller that read its frame itself and built no event
// (the local emulator's per-message path: no request id or context is made for it). A frame the
// parser refused is answered to its sender with its error.
HandlerResponse handle_frame(const protocol::ClientFrame& frame, const ConnectionId& sender,
                             HandlerServices& services, std::string_view source_address = {});
HandlerResponse refuse_frame(const protocol::ClientFrameError& error, const ConnectionId& sender,
                             HandlerServices& services);

}  // namespace videochat::lambdas
