// What API Gateway makes of a Lambda proxy integration's answer for a WebSocket route: the
// handler's status (and body, for logs), or an integration failure, which a client whose message
// it was is told of in API Gateway's words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "websocket_event.hpp"

namespace videochat::local::lambda {

// The function's response body as a proxy response ({"statusCode": 200, "body": "..."}), or
// nothing when it is not one (API Gateway then fails the integration).
std::optional<lambdas::HandlerResponse> parse_proxy_response(std::string_view body);

// The frame API Gateway sends the sender of a message whose integration failed (a function
// error, a timeout, a crash): {"message": "Internal server error", "connectionId": ...,
// "requestId": ...}.
std::string integration_failure_frame(std::string_view connection_id, std::string_view request_id);

}  // namespace videochat::local::lambda
