// The Lambda Runtime API's requests (version 2018-06-01), as typed values: what a function's
// process may ask of videochat-local --lambda, and the HTTP answer to anything else.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace videochat::local::lambda {

inline constexpr std::string_view kRuntimeApiPrefix = "/2018-06-01/runtime";

struct NextInvocationRequest {};  // GET  /invocation/next
struct InvocationResponse {       // POST /invocation/{id}/response
  std::string request_id;
};
struct InvocationError {  // POST /invocation/{id}/error
  std::string request_id;
};
struct InitError {};  // POST /init/error
struct BadRuntimeRequest {
  unsigned status;  // 404 or 405
  std::string message;
};
using RuntimeRequest = std::variant<NextInvocationRequest, InvocationResponse, InvocationError,
                                    InitError, BadRuntimeRequest>;

RuntimeRequest parse_runtime_request(std::string_view method, std::string_view target);

// The error a function posts ({"errorType":..., "errorMessage":...}) as one line for a log,
// falling back to the header's type and the raw body when the body is not that shape.
std::string describe_function_error(std::string_view body, std::string_view error_type_header);

}  // namespace videochat::local::lambda
