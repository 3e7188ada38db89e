// One API Gateway WebSocket event, as Lambda delivers it, through the route handlers: the JSON
// event in, the proxy integration response out. What the runtime loop calls per invocation.
#pragma once

#include <string>

#include "management_api_client.hpp"
#include "route_handlers.hpp"
#include "runtime_loop.hpp"

namespace videochat::runtime {

// Throws InvalidEvent when the payload is not an API Gateway WebSocket event. Points `connections`
// at the event's own API (domainName and stage) before the handler runs.
std::string handle_websocket_invocation(const Invocation& invocation,
                                        lambdas::HandlerServices& services,
                                        aws::ManagementApiClient& connections);

}  // namespace videochat::runtime
