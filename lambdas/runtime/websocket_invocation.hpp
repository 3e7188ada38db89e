// One API Gateway WebSocket event, as Lambda delivers it, through the route handlers: the JSON
// event in, the proxy integration response out. What the runtime loop calls per invocation.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "epoch_time.hpp"
#include "invocation_metrics.hpp"
#include "management_api_client.hpp"
#include "metered_transport.hpp"
#include "route_handlers.hpp"
#include "runtime_loop.hpp"

namespace videochat::runtime {

// How an invocation's metrics are made: their namespace and function, and the store's transport,
// whose counts before and after the handler are the invocation's DynamoDB requests.
struct InvocationMetering {
  metrics::MetricsSettings settings;
  const metrics::MeteredTransport* store_transport = nullptr;
  std::function<std::int64_t()> now_ms = [] { return epoch_ms_now(); };
};

// Throws InvalidEvent when the payload is not an API Gateway WebSocket event. Points `connections`
// at the event's own API (domainName and stage) before the handler runs. With `metering`, the
// invocation's `route` log line is also its EMF document (invocation_metrics.hpp).
std::string handle_websocket_invocation(const Invocation& invocation,
                                        lambdas::HandlerServices& services,
                                        aws::ManagementApiClient& connections,
                                        const InvocationMetering* metering = nullptr);

}  // namespace videochat::runtime
