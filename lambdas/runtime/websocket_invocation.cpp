#include "websocket_invocation.hpp"

#include <nlohmann/json.hpp>

#include "counting_connections.hpp"
#include "route_log.hpp"

namespace videochat::runtime {

namespace {

// The handler, with its @connections calls and the store's requests counted for the metrics.
lambdas::HandlerResponse dispatch_metered(const lambdas::WebSocketEvent& event,
                                          lambdas::HandlerServices& services,
                                          const InvocationMetering& metering,
                                          std::string& emf_members) {
  metrics::CountingConnections counted(services.connections);
  lambdas::HandlerServices measured{services.store, counted, services.log, services.config};
  const auto before =
      metering.store_transport ? metering.store_transport->totals() : metrics::TransportTotals{};
  lambdas::HandlerResponse response = lambdas::dispatch(event, measured);
  const auto store = metering.store_transport ? metering.store_transport->totals() - before
                                              : metrics::TransportTotals{};

  metrics::InvocationCounts counts;
  counts.route = event.request_context.route_key;
  counts.status = response.status_code;
  if (response.status_code >= 400) {
    counts.error_code = metrics::error_code_of(response.status_code, response.body);
  }
  counts.connection_calls = counted.calls();
  counts.posts = counted.posts();
  counts.gone = counted.gone();
  counts.store_requests = store.requests;
  counts.store_wait = store.waited;
  emf_members = metrics::render_members(
      metrics::invocation_document(counts, metering.settings, metering.now_ms()));
  return response;
}

}  // namespace

std::string handle_websocket_invocation(const Invocation& invocation,
                                        lambdas::HandlerServices& services,
                                        aws::ManagementApiClient& connections,
                                        const InvocationMetering* metering) {
  nlohmann::json payload = nlohmann::json::parse(invocation.payload, nullptr, false);
  if (payload.is_discarded()) throw InvalidEvent("the event is not JSON");
  if (!payload.is_object()) throw InvalidEvent("the event is not a JSON object");
  auto parsed = lambdas::parse_websocket_event(payload);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    throw InvalidEvent("not an API Gateway WebSocket event: " + *error);
  }
  const auto& event = std::get<lambdas::WebSocketEvent>(parsed);
  connections.set_endpoint(
      aws::management_endpoint(event.request_context.domain_name, event.request_context.stage));
  std::string emf_members;
  lambdas::HandlerResponse response =
      metering ? dispatch_metered(event, services, *metering, emf_members)
               : lambdas::dispatch(event, services);
  std::optional<std::string_view> error;
  if (response.body) error = *response.body;
  // One line per invocation carries both the route's outcome and its metrics: EMF lines are
  // billed as log ingestion, so a line of their own would cost more for nothing.
  lambdas::write_route_line(
      services.log,
      {event.request_context.route_key, event.request_context.connection_id.value,
       response.status_code, std::nullopt, invocation.request_id, error},
      emf_members);
  return lambdas::to_json(response).dump();
}

}  // namespace videochat::runtime
