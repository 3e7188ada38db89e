// The WebSocket API's routes and their handlers. `kRoutes` is the one list of route keys: the
// handlers dispatch from it, the local emulator routes by it, and the deployment template is
// checked against it.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "connections_api.hpp"
#include "logger.hpp"
#include "room_store.hpp"
#include "websocket_event.hpp"

namespace videochat::lambdas {

struct HandlerConfig {
  // Origins allowed to open a connection; empty allows every origin (the client is embeddable).
  std::vector<std::string> allowed_origins;
  // The largest `message` relayed by sendMsgToRoom, in bytes.
  std::size_t max_message_bytes = 64 * 1024;
  // The HMAC key of resume tokens (resume_token.hpp). The edges insist on at least
  // kMinResumeSecretBytes; whoever knows it can take over any peerId in any room.
  std::string resume_secret;
};

// What a handler works with: the world beyond it, reached only through these interfaces.
struct HandlerServices {
  RoomStore& store;
  ConnectionsApi& connections;
  Logger& log;
  const HandlerConfig& config;
};

using RouteHandler = HandlerResponse (*)(const WebSocketEvent&, HandlerServices&);

struct Route {
  std::string_view key;
  RouteHandler handle;
};

HandlerResponse on_connect(const WebSocketEvent& event, HandlerServices& services);
HandlerResponse on_disconnect(const WebSocketEvent& event, HandlerServices& services);
HandlerResponse on_default(const WebSocketEvent& event, HandlerServices& services);
HandlerResponse on_join_room(const WebSocketEvent& event, HandlerServices& services);
HandlerResponse on_send_msg_to_room(const WebSocketEvent& event, HandlerServices& services);
HandlerResponse on_leave_room(const WebSocketEvent& event, HandlerServices& services);
HandlerResponse on_ping(const WebSocketEvent& event, HandlerServices& services);

inline constexpr std::string_view kRouteConnect = "$connect";
inline constexpr std::string_view kRouteDisconnect = "$disconnect";
inline constexpr std::string_view kRouteDefault = "$default";

inline constexpr std::array<Route, 7> kRoutes = {{
    {kRouteConnect, &on_connect},
    {kRouteDisconnect, &on_disconnect},
    {kRouteDefault, &on_default},
    {protocol::kActionJoinRoom, &on_join_room},
    {protocol::kActionSendMsgToRoom, &on_send_msg_to_room},
    {protocol::kActionLeaveRoom, &on_leave_room},
    {protocol::kActionPing, &on_ping},
}};

// API Gateway's route selection for `$request.body.action`: the action's route when the body is
// a JSON object whose `action` names a custom route, `$default` otherwise.
std::string_view select_route(std::string_view body);
// The same, for a body already parsed (discarded when it was not JSON).
std::string_view select_parsed_route(const nlohmann::json& parsed_body);

// Runs the handler for event.request_context.route_key; an unknown route key is answered 404
// (API Gateway would never invoke us with one, but a misconfigured deployment might).
HandlerResponse dispatch(const WebSocketEvent& event, HandlerServices& services);

}  // namespace videochat::lambdas
