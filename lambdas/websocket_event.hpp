// The API Gateway WebSocket proxy event, as typed values. Lambda hands the handlers this event as
// JSON; the local emulator builds it directly (no render-and-parse on the message path).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "client_frames.hpp"
#include "identifiers.hpp"

namespace videochat::lambdas {

enum class EventType { Connect, Message, Disconnect };
std::string_view to_string(EventType type);
std::optional<EventType> parse_event_type(std::string_view text);

struct RequestContext {
  std::string route_key;  // "$connect", "joinRoom", ...
  EventType event_type = EventType::Message;
  protocol::ConnectionId connection_id;
  std::string domain_name;  // used to reach the @connections management API
  std::string stage;
  std::string api_id;
  std::string request_id;
  std::string message_id;                 // MESSAGE events only
  std::int64_t connected_at_ms = 0;       // epoch milliseconds
  std::int64_t request_time_epoch_ms = 0; // epoch milliseconds
  std::string source_ip;
  std::string user_agent;
  std::optional<int> disconnect_status_code;  // DISCONNECT events only
  std::string disconnect_reason;              // DISCONNECT events only
};

struct WebSocketEvent {
  RequestContext request_context;
  std::string body;  // MESSAGE events: the frame's text
  bool is_base64_encoded = false;
  // Lower-cased header names: HTTP header names are case-insensitive and API Gateway keeps the
  // client's spelling, so lookups must not depend on it.
  std::map<std::string, std::string> headers;       // CONNECT events only
  std::map<std::string, std::string> query_string;  // CONNECT events only
};

// What a Lambda proxy integration returns. API Gateway sends none of it to a WebSocket client
// (routes here are one-way); a non-2xx status on $connect refuses the connection.
struct HandlerResponse {
  int status_code = 200;
  std::optional<std::string> body;
};

// Validates an untrusted event at the edge. The error names the offending field.
std::variant<WebSocketEvent, std::string> parse_websocket_event(const nlohmann::json& event);
nlohmann::json to_json(const WebSocketEvent& event);
nlohmann::json to_json(const HandlerResponse& response);

}  // namespace videochat::lambdas
