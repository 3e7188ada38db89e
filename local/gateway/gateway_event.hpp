// The API Gateway event of one invocation, with the request context API Gateway fills: built here
// only, for $connect, each message and $disconnect alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "websocket_event.hpp"

namespace videochat::local {

// What API Gateway knows of a connection from its handshake on.
struct ConnectInfo {
  std::string connection_id;
  std::int64_t connected_at_ms = 0;
  std::string source_ip;
  std::string user_agent;
};

// Where the API is reached: the @connections endpoint's host and stage.
struct GatewayAddress {
  std::string_view domain_name;
  std::string_view stage;
};

// An event of `type` for `route_key` on `connection`, at `now_ms`, with a fresh request id (and
// message id, for a message).
lambdas::WebSocketEvent gateway_event(lambdas::EventType type, std::string route_key,
                                      const ConnectInfo& connection, const GatewayAddress& address,
                                      std::int64_t now_ms);

}  // namespace videochat::local
