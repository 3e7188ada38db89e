// parse_websocket_event at the Lambda edge: what it takes from an API Gateway WebSocket proxy
// event, what it refuses, and that to_json renders an event it parses back unchanged.
#include "websocket_event.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

namespace {

using nlohmann::json;
using videochat::lambdas::EventType;
using videochat::lambdas::HandlerResponse;
using videochat::lambdas::parse_websocket_event;
using videochat::lambdas::WebSocketEvent;

// A $connect event as API Gateway sends it to a Lambda proxy integration (header names keep the
// client's spelling).
json connect_event_json() {
  return json::parse(R"json({
    "headers": {
      "Host": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
      "Origin": "https://App.Example.com",
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version": "13",
      "X-Amzn-Trace-Id": "Root=1-65c66c5f-0123456789abcdef01234567",
      "X-Forwarded-For": "203.0.113.7",
      "X-Forwarded-Port": "443",
      "X-Forwarded-Proto": "https",
      "user-agent": "Mozilla/5.0 (X11; Linux x86_64)"
    },
    "multiValueHeaders": {
      "Host": ["abcdef1234.execute-api.eu-west-1.amazonaws.com"],
      "Origin": ["https://App.Example.com"]
    },
    "queryStringParameters": {"room": "123", "Token": "AbC"},
    "multiValueQueryStringParameters": {"room": ["123"], "Token": ["AbC"]},
    "requestContext": {
      "routeKey": "$connect",
      "eventType": "CONNECT",
      "extendedRequestId": "SzJ9fGQwDoEFaBQ=",
      "requestTime": "09/Feb/2024:18:11:43 +0000",
      "messageDirection": "IN",
      "stage": "prod",
      "connectedAt": 1707502303419,
      "requestTimeEpoch": 1707502303420,
      "identity": {"sourceIp": "203.0.113.7", "userAgent": "Mozilla/5.0 (X11; Linux x86_64)"},
      "requestId": "SzJ9fGQwDoEFaBQ=",
      "domainName": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
      "connectionId": "L0SM9cOFvHcCIhw=",
      "apiId": "abcdef1234"
    },
    "isBase64Encoded": false
  })json");
}

json message_event_json() {
  return json::parse(R"({
    "requestContext": {
      "routeKey": "sendMsgToRoom",
      "messageId": "L0SNBdMKvHcCIhw=",
      "eventType": "MESSAGE",
      "extendedRequestId": "SzJ9wGRxjoEFt1A=",
      "requestTime": "09/Feb/2024:18:12:01 +0000",
      "messageDirection": "IN",
      "stage": "prod",
      "connectedAt": 1707502303419,
      "requestTimeEpoch": 1707502321117,
      "identity": {"sourceIp": "203.0.113.7"},
      "requestId": "SzJ9wGRxjoEFt1A=",
      "domainName": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
      "connectionId": "L0SM9cOFvHcCIhw=",
      "apiId": "abcdef1234"
    },
    "body": "{\"action\":\"sendMsgToRoom\",\"roomId\":\"123\",\"message\":\"hello world!\"}",
    "isBase64Encoded": false
  })");
}

json disconnect_event_json() {
  return json::parse(R"({
    "headers": {
      "Host": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
      "x-api-key": "",
      "X-Forwarded-For": "",
      "x-restapi": ""
    },
    "multiValueHeaders": {"Host": ["abcdef1234.execute-api.eu-west-1.amazonaws.com"]},
    "requestContext": {
      "routeKey": "$disconnect",
      "disconnectStatusCode": 1001,
      "eventType": "DISCONNECT",
      "extendedRequestId": "SzKBZHMHjoEFrpQ=",
      "requestTime": "09/Feb/2024:18:14:05 +0000",
      "messageDirection": "IN",
      "disconnectReason": "Going away",
      "stage": "prod",
      "connectedAt": 1707502303419,
      "requestTimeEpoch": 1707502445228,
      "identity": {"sourceIp": "203.0.113.7"},
      "requestId": "SzKBZHMHjoEFrpQ=",
      "domainName": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
      "connectionId": "L0SM9cOFvHcCIhw=",
      "apiId": "abcdef1234"
    },
    "isBase64Encoded": false
  })");
}

WebSocketEvent parsed(const json& event) {
  auto result = parse_websocket_event(event);
  if (auto* error = std::get_if<std::string>(&result)) FAIL("unexpected rejection: " << *error);
  return std::get<WebSocketEvent>(std::move(result));
}

// The rejection's message, or an empty string when the event was accepted.
std::string rejection(const json& event) {
  auto result = parse_websocket_event(event);
  if (auto* error = std::get_if<std::string>(&result)) return *error;
  return {};
}

// The event fields a parse must carry over, compared one by one so a failure names the field.
void check_same_event(const WebSocketEvent& actual, const WebSocketEvent& expected) {
  const auto& a = actual.request_context;
  const auto& e = expected.request_context;
  CHECK(a.route_key == e.route_key);
  CHECK(a.event_type == e.event_type);
  CHECK(a.connection_id.value == e.connection_id.value);
  CHECK(a.domain_name == e.domain_name);
  CHECK(a.stage == e.stage);
  CHECK(a.api_id == e.api_id);
  CHECK(a.request_id == e.request_id);
  CHECK(a.message_id == e.message_id);
  CHECK(a.connected_at_ms == e.connected_at_ms);
  CHECK(a.request_time_epoch_ms == e.request_time_epoch_ms);
  CHECK(a.source_ip == e.source_ip);
  CHECK(a.user_agent == e.user_agent);
  CHECK(a.disconnect_status_code == e.disconnect_status_code);
  CHECK(a.disconnect_reason == e.disconnect_reason);
  CHECK(actual.body == expected.body);
  CHECK(actual.is_base64_encoded == expected.is_base64_encoded);
  CHECK(actual.headers == expected.headers);
  CHECK(actual.query_string == expected.query_string);
}

}  // namespace

TEST_SUITE("parse_websocket_event: accepted events") {
  TEST_CASE("a CONNECT event yields its route, type, connection and request context") {
    WebSocketEvent event = parsed(connect_event_json());
    const auto& context = event.request_context;
    CHECK(context.route_key == "$connect");
    CHECK(context.event_type == EventType::Connect);
    CHECK(context.connection_id.value == "L0SM9cOFvHcCIhw=");
    CHECK(context.domain_name == "abcdef1234.execute-api.eu-west-1.amazonaws.com");
    CHECK(context.stage == "prod");
    CHECK(context.api_id == "abcdef1234");
    CHECK(context.request_id == "SzJ9fGQwDoEFaBQ=");
    CHECK(context.connected_at_ms == 1707502303419);
    CHECK(context.request_time_epoch_ms == 1707502303420);
    CHECK(context.source_ip == "203.0.113.7");
    CHECK(context.user_agent == "Mozilla/5.0 (X11; Linux x86_64)");
    CHECK_FALSE(context.disconnect_status_code.has_value());
  }

  TEST_CASE("CONNECT header names of any case become lower-case keys; values keep their case") {
    WebSocketEvent event = parsed(connect_event_json());
    CHECK(event.headers.at("origin") == "https://App.Example.com");
    CHECK(event.headers.at("sec-websocket-key") == "dGhlIHNhbXBsZSBub25jZQ==");
    CHECK(event.headers.at("x-forwarded-for") == "203.0.113.7");
    CHECK(event.headers.at("user-agent") == "Mozilla/5.0 (X11; Linux x86_64)");
    CHECK(event.headers.count("Origin") == 0);
    CHECK(event.headers.count("Sec-WebSocket-Key") == 0);
    CHECK(event.headers.size() == 10);
  }

  TEST_CASE("CONNECT queryStringParameters are kept with their names as sent") {
    WebSocketEvent event = parsed(connect_event_json());
    CHECK(event.query_string ==
          std::map<std::string, std::string>{{"room", "123"}, {"Token", "AbC"}});
  }

  TEST_CASE("a MESSAGE event yields its route key, message id and body text unchanged") {
    WebSocketEvent event = parsed(message_event_json());
    CHECK(event.request_context.route_key == "sendMsgToRoom");
    CHECK(event.request_context.event_type == EventType::Message);
    CHECK(event.request_context.message_id == "L0SNBdMKvHcCIhw=");
    CHECK(event.body ==
          R"({"action":"sendMsgToRoom","roomId":"123","message":"hello world!"})");
    CHECK_FALSE(event.is_base64_encoded);
    CHECK(event.headers.empty());
  }

  TEST_CASE("a DISCONNECT event yields its status code and reason") {
    WebSocketEvent event = parsed(disconnect_event_json());
    CHECK(event.request_context.route_key == "$disconnect");
    CHECK(event.request_context.event_type == EventType::Disconnect);
    CHECK(event.request_context.disconnect_status_code == std::optional<int>(1001));
    CHECK(event.request_context.disconnect_reason == "Going away");
  }

  TEST_CASE("a DISCONNECT event with a null status code has no status code") {
    json event = disconnect_event_json();
    event["requestContext"]["disconnectStatusCode"] = nullptr;
    CHECK_FALSE(parsed(event).request_context.disconnect_status_code.has_value());
  }

  TEST_CASE("isBase64Encoded true is carried over") {
    json event = message_event_json();
    event["isBase64Encoded"] = true;
    CHECK(parsed(event).is_base64_encoded);
  }
}

TEST_SUITE("parse_websocket_event: rejected events") {
  TEST_CASE("an event that is not a JSON object is rejected") {
    CHECK_FALSE(rejection(json::array()).empty());
    CHECK_FALSE(rejection(json("$connect")).empty());
    CHECK_FALSE(rejection(json(nullptr)).empty());
  }

  TEST_CASE("an event without requestContext is rejected, naming requestContext") {
    json event = message_event_json();
    event.erase("requestContext");
    CHECK(rejection(event).find("requestContext") != std::string::npos);
  }

  TEST_CASE("an event whose requestContext is not an object is rejected") {
    json event = message_event_json();
    event["requestContext"] = "sendMsgToRoom";
    CHECK(rejection(event).find("requestContext") != std::string::npos);
  }

  TEST_CASE("an event without routeKey is rejected, naming routeKey") {
    json event = message_event_json();
    event["requestContext"].erase("routeKey");
    CHECK(rejection(event).find("routeKey") != std::string::npos);
  }

  TEST_CASE("an event with a non-string routeKey is rejected, naming routeKey") {
    json event = message_event_json();
    event["requestContext"]["routeKey"] = 7;
    CHECK(rejection(event).find("routeKey") != std::string::npos);
  }

  TEST_CASE("an event without connectionId is rejected, naming connectionId") {
    json event = message_event_json();
    event["requestContext"].erase("connectionId");
    CHECK(rejection(event).find("connectionId") != std::string::npos);
  }

  TEST_CASE("an event with an empty connectionId is rejected, naming connectionId") {
    json event = message_event_json();
    event["requestContext"]["connectionId"] = "";
    CHECK(rejection(event).find("connectionId") != std::string::npos);
  }

  TEST_CASE("an event with an unknown eventType is rejected, naming eventType") {
    json event = message_event_json();
    event["requestContext"]["eventType"] = "message";  // the names are upper-case
    CHECK(rejection(event).find("eventType") != std::string::npos);
  }

  TEST_CASE("an event without eventType is rejected, naming eventType") {
    json event = message_event_json();
    event["requestContext"].erase("eventType");
    CHECK(rejection(event).find("eventType") != std::string::npos);
  }

  TEST_CASE("an event whose body is a number is rejected, naming body") {
    json event = message_event_json();
    event["body"] = 42;
    CHECK(rejection(event).find("body") != std::string::npos);
  }

  TEST_CASE("an event whose body is a JSON object rather than its text is rejected, naming body") {
    json event = message_event_json();
    event["body"] = json{{"action", "joinRoom"}, {"roomId", "123"}};
    CHECK(rejection(event).find("body") != std::string::npos);
  }

  TEST_CASE("an event with a non-integer connectedAt is rejected, naming connectedAt") {
    json event = message_event_json();
    event["requestContext"]["connectedAt"] = "1707502303419";
    CHECK(rejection(event).find("connectedAt") != std::string::npos);
  }

  TEST_CASE("an event whose headers are not an object is rejected, naming headers") {
    json event = connect_event_json();
    event["headers"] = json::array({"Origin: https://app.example.com"});
    CHECK(rejection(event).find("headers") != std::string::npos);
  }

  TEST_CASE("an event with a non-string header value is rejected, naming the header") {
    json event = connect_event_json();
    event["headers"]["X-Forwarded-Port"] = 443;
    CHECK(rejection(event).find("X-Forwarded-Port") != std::string::npos);
  }

  TEST_CASE("an event whose isBase64Encoded is not a boolean is rejected") {
    json event = message_event_json();
    event["isBase64Encoded"] = "false";
    CHECK(rejection(event).find("isBase64Encoded") != std::string::npos);
  }
}

TEST_SUITE("to_json") {
  TEST_CASE("a CONNECT event rendered by to_json parses back to the same event") {
    WebSocketEvent original = parsed(connect_event_json());
    check_same_event(parsed(to_json(original)), original);
  }

  TEST_CASE("a MESSAGE event rendered by to_json parses back to the same event") {
    WebSocketEvent original = parsed(message_event_json());
    check_same_event(parsed(to_json(original)), original);
  }

  TEST_CASE("a DISCONNECT event rendered by to_json parses back to the same event") {
    WebSocketEvent original = parsed(disconnect_event_json());
    check_same_event(parsed(to_json(original)), original);
  }

  TEST_CASE("a DISCONNECT event without a status code round-trips without one") {
    json event = disconnect_event_json();
    event["requestContext"].erase("disconnectStatusCode");
    WebSocketEvent original = parsed(event);
    check_same_event(parsed(to_json(original)), original);
  }

  TEST_CASE("to_json renders requestTime in API Gateway's format") {
    WebSocketEvent event = parsed(connect_event_json());
    CHECK(to_json(event)["requestContext"]["requestTime"] == "09/Feb/2024:18:11:43 +0000");
  }

  TEST_CASE("a handler response renders as statusCode and body") {
    CHECK(to_json(HandlerResponse{403, "origin not allowed"}) ==
          json{{"statusCode", 403}, {"body", "origin not allowed"}});
  }

  TEST_CASE("a handler response without a body renders no body member") {
    CHECK(to_json(HandlerResponse{200, std::nullopt}) == json{{"statusCode", 200}});
  }
}
