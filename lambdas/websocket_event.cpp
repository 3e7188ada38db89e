#include "websocket_event.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>
#include "ascii_case.hpp"

namespace videochat::lambdas {

using nlohmann::json;

std::string_view to_string(EventType type) {
  switch (type) {
    case EventType::Connect:
      return "CONNECT";
    case EventType::Message:
      return "MESSAGE";
    case EventType::Disconnect:
      return "DISCONNECT";
  }
  return "MESSAGE";
}

std::optional<EventType> parse_event_type(std::string_view text) {
  if (text == "CONNECT") return EventType::Connect;
  if (text == "MESSAGE") return EventType::Message;
  if (text == "DISCONNECT") return EventType::Disconnect;
  return std::nullopt;
}

namespace {

// Reads an optional string member; a present member of another type is an error.
bool read_string(const json& object, const char* key, std::string& out, std::string& error,
                 const char* where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) {
    error = std::string(where) + key + " must be a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool read_int(const json& object, const char* key, std::int64_t& out, std::string& error,
              const char* where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_number_integer()) {
    error = std::string(where) + key + " must be an integer";
    return false;
  }
  out = it->get<std::int64_t>();
  return true;
}

bool read_string_map(const json& object, const char* key, std::map<std::string, std::string>& out,
                     std::string& error, bool lower_keys) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_object()) {
    error = std::string(key) + " must be an object";
    return false;
  }
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string()) {
      error = std::string(key) + "." + name + " must be a string";
      return false;
    }
    out[lower_keys ? ascii_lower(name) : name] = value.get<std::string>();
  }
  return true;
}

// API Gateway's requestTime format, e.g. "09/Feb/2024:18:11:43 +0000".
std::string request_time(std::int64_t epoch_ms) {
  std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%d/%b/%Y:%H:%M:%S +0000", &utc);
  return text;
}

}  // namespace

std::variant<WebSocketEvent, std::string> parse_websocket_event(const json& event) {
  if (!event.is_object()) return std::string("the event must be a JSON object");
  auto context_it = event.find("requestContext");
  if (context_it == event.end() || !context_it->is_object()) {
    return std::string("requestContext must be an object");
  }
  const json& context = *context_it;
  WebSocketEvent parsed;
  RequestContext& rc = parsed.request_context;
  std::string error;
  const char* in = "requestContext.";

  std::string event_type;
  std::string connection_id;
  std::string source_ip, user_agent;
  std::int64_t disconnect_status = 0;
  bool ok = read_string(context, "routeKey", rc.route_key, error, in) &&
            read_string(context, "eventType", event_type, error, in) &&
            read_string(context, "connectionId", connection_id, error, in) &&
            read_string(context, "domainName", rc.domain_name, error, in) &&
            read_string(context, "stage", rc.stage, error, in) &&
            read_string(context, "apiId", rc.api_id, error, in) &&
            read_string(context, "requestId", rc.request_id, error, in) &&
            read_string(context, "messageId", rc.message_id, error, in) &&
            read_string(context, "disconnectReason", rc.disconnect_reason, error, in) &&
            read_int(context, "connectedAt", rc.connected_at_ms, error, in) &&
            read_int(context, "requestTimeEpoch", rc.request_time_epoch_ms, error, in) &&
            read_int(context, "disconnectStatusCode", disconnect_status, error, in);
  if (!ok) return error;
  if (context.contains("disconnectStatusCode") && !context["disconnectStatusCode"].is_null()) {
    rc.disconnect_status_code = static_cast<int>(disconnect_status);
  }
  if (rc.route_key.empty()) return std::string("requestContext.routeKey is required");
  if (connection_id.empty()) return std::string("requestContext.connectionId is required");
  rc.connection_id = protocol::ConnectionId{connection_id};
  auto type = parse_event_type(event_type);
  if (!type) return std::string("requestContext.eventType must be CONNECT, MESSAGE or DISCONNECT");
  rc.event_type = *type;

  if (auto identity = context.find("identity"); identity != context.end() && identity->is_object()) {
    if (!read_string(*identity, "sourceIp", rc.source_ip, error, "requestContext.identity.") ||
        !read_string(*identity, "userAgent", rc.user_agent, error, "requestContext.identity.")) {
      return error;
    }
  }

  if (!read_string(event, "body", parsed.body, error, "") ||
      !read_string_map(event, "headers", parsed.headers, error, true) ||
      !read_string_map(event, "queryStringParameters", parsed.query_string, error, false)) {
    return error;
  }
  if (auto b64 = event.find("isBase64Encoded"); b64 != event.end() && !b64->is_null()) {
    if (!b64->is_boolean()) return std::string("isBase64Encoded must be a boolean");
    parsed.is_base64_encoded = b64->get<bool>();
  }
  return parsed;
}

json to_json(const WebSocketEvent& event) {
  const RequestContext& rc = event.request_context;
  json context = {
      {"routeKey", rc.route_key},
      {"eventType", to_string(rc.event_type)},
      {"extendedRequestId", rc.request_id},
      {"requestTime", request_time(rc.request_time_epoch_ms)},
      {"messageDirection", "IN"},
      {"stage", rc.stage},
      {"connectedAt", rc.connected_at_ms},
      {"requestTimeEpoch", rc.request_time_epoch_ms},
      {"identity", {{"sourceIp", rc.source_ip}, {"userAgent", rc.user_agent}}},
      {"requestId", rc.request_id},
      {"domainName", rc.domain_name},
      {"connectionId", rc.connection_id.value},
      {"apiId", rc.api_id},
  };
  if (rc.event_type == EventType::Message) context["messageId"] = rc.message_id;
  if (rc.event_type == EventType::Disconnect) {
    context["disconnectStatusCode"] = rc.disconnect_status_code ? json(*rc.disconnect_status_code)
                                                                : json(nullptr);
    context["disconnectReason"] = rc.disconnect_reason;
  }
  json out = {{"requestContext", std::move(context)}, {"isBase64Encoded", event.is_base64_encoded}};
  if (rc.event_type == EventType::Message) out["body"] = event.body;
  if (rc.event_type != EventType::Message) {
    out["headers"] = event.headers;
    json multi = json::object();
    for (const auto& [name, value] : event.headers) multi[name] = json::array({value});
    out["multiValueHeaders"] = std::move(multi);
  }
  if (!event.query_string.empty()) {
    out["queryStringParameters"] = event.query_string;
    json multi = json::object();
    for (const auto& [name, value] : event.query_string) multi[name] = json::array({value});
    out["multiValueQueryStringParameters"] = std::move(multi);
  }
  return out;
}

json to_json(const HandlerResponse& response) {
  json out = {{"statusCode", response.status_code}};
  if (response.body) out["body"] = *response.body;
  return out;
}

}  // namespace videochat::lambdas
