#include "management_api.hpp"

#include <nlohmann/json.hpp>

#include "text_encoding.hpp"
#include "time_format.hpp"

namespace videochat::local {

namespace http = boost::beast::http;

HttpResponse aws_error(const HttpRequest& request, http::status status,
                       std::string_view error_type, std::string_view message) {
  HttpResponse response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.set("x-amzn-ErrorType", error_type);
  response.body() = nlohmann::json{{"message", message}}.dump();
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

namespace {

HttpResponse gone(const HttpRequest& request, std::string_view connection_id) {
  return aws_error(request, http::status::gone, "GoneException",
                   "connection " + std::string(connection_id) + " is gone");
}

HttpResponse empty(const HttpRequest& request, http::status status) {
  HttpResponse response{status, request.version()};
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

}  // namespace

HttpResponse handle_management_request(const HttpRequest& request,
                                       std::string_view connection_id,
                                       ConnectionRegistry& registry, const Options& options) {
  const protocol::ConnectionId id{std::string(connection_id)};
  switch (request.method()) {
    case http::verb::post: {
      if (request.body().size() > options.max_message_bytes) {
        return aws_error(request, http::status::payload_too_large, "PayloadTooLargeException",
                         "the data is " + std::to_string(request.body().size()) +
                             " bytes; the limit is " +
                             std::to_string(options.max_message_bytes));
      }
      // It would go out as a text frame, which must be UTF-8: a browser (or ws) receiving one that
      // is not drops the connection (1007). Refused here, so the member stays connected.
      if (!protocol::is_utf8(request.body())) {
        return aws_error(request, http::status::bad_request, "BadRequestException",
                         "the data is not valid UTF-8; it is sent as a WebSocket text frame, "
                         "which must be");
      }
      if (registry.post(id, request.body()) != lambdas::PostResult::Ok) {
        return gone(request, connection_id);
      }
      return empty(request, http::status::ok);
    }
    case http::verb::get: {
      auto connection = registry.find(id.value);
      if (!connection) return gone(request, connection_id);
      ConnectionSnapshot snapshot = connection->snapshot();
      HttpResponse response{http::status::ok, request.version()};
      response.set(http::field::content_type, "application/json");
      response.body() = nlohmann::json{
          {"connectedAt", iso8601_utc_ms(snapshot.connected_at_ms)},
          {"identity", {{"sourceIp", snapshot.source_ip}, {"userAgent", snapshot.user_agent}}},
          {"lastActiveAt", iso8601_utc_ms(snapshot.last_active_at_ms)},
      }.dump();
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      return response;
    }
    case http::verb::delete_: {
      if (registry.disconnect(id) != lambdas::PostResult::Ok) return gone(request, connection_id);
      return empty(request, http::status::no_content);
    }
    default: {
      HttpResponse response = aws_error(request, http::status::method_not_allowed,
                                        "MethodNotAllowedException",
                                        "@connections takes POST, GET or DELETE");
      response.set(http::field::allow, "POST, GET, DELETE");
      return response;
    }
  }
}

}  // namespace videochat::local
