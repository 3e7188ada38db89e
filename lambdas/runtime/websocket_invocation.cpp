#include "websocket_invocation.hpp"

#include <nlohmann/json.hpp>

#include "route_log.hpp"

namespace videochat::runtime {

std::string handle_websocket_invocation(const Invocation& invocation,
                                        lambdas::HandlerServices& services,
                                        aws::ManagementApiClient& connections) {
  nlohmann::json payload = nlohmann::json::parse(invocation.payload, nullptr, false);
  if (payload.is_discarded()) throw InvalidEvent("the event is not JSON");
  if (!payload.is_object()) throw InvalidEvent("the event is not a JSON object");
  auto parsed = lambdas::parse_websocket_event(payload);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    throw InvalidEvent("not an API Gateway WebSocket event: " + *error);
  }
  const auto& event = std::get<lambdas::WebSocketEvent>(parsed);
  connections.set_endpoint(aws::management_endpoint(event.request_context.domain_name,
                                                    event.request_context.stage));
  lambdas::HandlerResponse response = lambdas::dispatch(event, services);
  std::optional<std::string_view> error;
  if (response.body) error = *response.body;
  lambdas::write_route_line(services.log,
                            {event.request_context.route_key,
                             event.request_context.connection_id.value, response.status_code,
                             std::nullopt, invocation.request_id, error});
  return lambdas::to_json(response).dump();
}

}  // namespace videochat::runtime
