#include "runtime_api_routes.hpp"

#include <nlohmann/json.hpp>

namespace videochat::local::lambda {

RuntimeRequest parse_runtime_request(std::string_view method, std::string_view target) {
  if (std::size_t query = target.find('?'); query != std::string_view::npos) {
    target = target.substr(0, query);
  }
  if (!target.starts_with(kRuntimeApiPrefix)) {
    return BadRuntimeRequest{
        404, "not a Runtime API path (they start with " + std::string(kRuntimeApiPrefix) + ")"};
  }
  std::string_view path = target.substr(kRuntimeApiPrefix.size());
  auto only = [&](std::string_view wanted) -> bool { return method == wanted; };
  auto wrong_method = [&](std::string_view wanted) {
    return BadRuntimeRequest{405, std::string(path) + " takes " + std::string(wanted)};
  };
  if (path == "/invocation/next") {
    if (!only("GET")) return wrong_method("GET");
    return NextInvocationRequest{};
  }
  if (path == "/init/error") {
    if (!only("POST")) return wrong_method("POST");
    return InitError{};
  }
  constexpr std::string_view kInvocation = "/invocation/";
  if (path.starts_with(kInvocation)) {
    std::string_view rest = path.substr(kInvocation.size());
    std::size_t slash = rest.find('/');
    if (slash != std::string_view::npos && slash > 0) {
      std::string id(rest.substr(0, slash));
      std::string_view action = rest.substr(slash + 1);
      if (action == "response" || action == "error") {
        if (!only("POST")) return wrong_method("POST");
        if (action == "response") return InvocationResponse{std::move(id)};
        return InvocationError{std::move(id)};
      }
    }
  }
  return BadRuntimeRequest{404, "no Runtime API resource at " + std::string(path)};
}

std::string describe_function_error(std::string_view body, std::string_view error_type_header) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  std::string type(error_type_header);
  std::string message;
  if (parsed.is_object()) {
    if (auto it = parsed.find("errorType"); it != parsed.end() && it->is_string()) {
      type = it->get<std::string>();
    }
    if (auto it = parsed.find("errorMessage"); it != parsed.end() && it->is_string()) {
      message = it->get<std::string>();
    }
  } else {
    message = std::string(body.substr(0, 1024));
  }
  if (type.empty()) type = "Unhandled";
  return message.empty() ? type : type + ": " + message;
}

}  // namespace videochat::local::lambda
