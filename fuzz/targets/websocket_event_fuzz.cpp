// The event a Lambda function receives (from API Gateway, or from anyone who can invoke it):
// reading never fails hard, and an event it accepts is written back as one that reads the same.
#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "fuzz_check.hpp"
#include "websocket_event.hpp"

using namespace videochat::lambdas;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  const auto event = parse_websocket_event(json);
  const auto* accepted = std::get_if<WebSocketEvent>(&event);
  if (!accepted) return 0;
  const nlohmann::json written = to_json(*accepted);
  const auto again = parse_websocket_event(written);
  FUZZ_CHECK(std::holds_alternative<WebSocketEvent>(again));
  FUZZ_CHECK(to_json(std::get<WebSocketEvent>(again)) == written);
  return 0;
}
