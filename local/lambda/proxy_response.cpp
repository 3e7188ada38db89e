#include "proxy_response.hpp"

#include <nlohmann/json.hpp>

namespace videochat::local::lambda {

std::optional<lambdas::HandlerResponse> parse_proxy_response(std::string_view body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  auto status = parsed.find("statusCode");
  if (status == parsed.end() || !status->is_number_integer()) return std::nullopt;
  lambdas::HandlerResponse response;
  response.status_code = status->get<int>();
  if (response.status_code < 100 || response.status_code > 599) return std::nullopt;
  if (auto text = parsed.find("body"); text != parsed.end() && !text->is_null()) {
    if (!text->is_string()) return std::nullopt;
    response.body = text->get<std::string>();
  }
  return response;
}

std::string integration_failure_frame(std::string_view connection_id, std::string_view request_id) {
  // API Gateway's field order, which ordered_json keeps.
  nlohmann::ordered_json frame = {{"message", "Internal server error"},
                                  {"connectionId", connection_id},
                                  {"requestId", request_id}};
  return frame.dump();
}

}  // namespace videochat::local::lambda
