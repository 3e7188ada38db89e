#include "gateway_event.hpp"

#include "connection_id.hpp"

namespace videochat::local {

lambdas::WebSocketEvent gateway_event(lambdas::EventType type, std::string route_key,
                                      const ConnectInfo& connection, const GatewayAddress& address,
                                      std::int64_t now_ms) {
  lambdas::WebSocketEvent event;
  auto& context = event.request_context;
  context.route_key = std::move(route_key);
  context.event_type = type;
  context.connection_id = protocol::ConnectionId{connection.connection_id};
  context.domain_name = address.domain_name;
  context.stage = address.stage;
  context.api_id = "local";
  context.request_id = new_request_id();
  if (type == lambdas::EventType::Message) context.message_id = new_request_id();
  context.connected_at_ms = connection.connected_at_ms;
  context.request_time_epoch_ms = now_ms;
  context.source_ip = connection.source_ip;
  context.user_agent = connection.user_agent;
  return event;
}

}  // namespace videochat::local
