// A stand-in for the @connections management API: records every call in order, and answers Gone
// or Failed for the connections a test says are gone or failing. Plus builders for the events API
// Gateway would hand the handlers.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connections_api.hpp"
#include "route_handlers.hpp"
#include "websocket_event.hpp"
#include "identifiers.hpp"

namespace videochat::test {

using protocol::ConnectionId;

// One frame a handler posted.
struct Post {
  ConnectionId to;
  std::string data;

  friend bool operator==(const Post&, const Post&) = default;
  friend auto operator<=>(const Post&, const Post&) = default;
};

inline std::ostream& operator<<(std::ostream& out, const Post& post) {
  return out << post.to.value << " <- " << post.data;
}

inline std::ostream& operator<<(std::ostream& out, const std::vector<Post>& posts) {
  out << '[';
  for (std::size_t i = 0; i < posts.size(); ++i) out << (i ? ", " : "") << '{' << posts[i] << '}';
  return out << ']';
}

class FakeConnections final : public lambdas::ConnectionsApi {
 public:
  enum class CallKind { Post, Disconnect, Probe };
  struct Call {
    CallKind kind;
    ConnectionId connection;
    std::string data;  // empty for Disconnect
  };

  lambdas::PostResult post(const ConnectionId& to, std::string_view data) override {
    calls_.push_back({CallKind::Post, to, std::string(data)});
    return result_for(to);
  }

  lambdas::PostResult disconnect(const ConnectionId& connection) override {
    calls_.push_back({CallKind::Disconnect, connection, {}});
    return result_for(connection);
  }

  lambdas::PostResult probe(const ConnectionId& connection) override {
    calls_.push_back({CallKind::Probe, connection, {}});
    return result_for(connection);
  }

  // From now on, calls to `connection` answer Gone (410), as for a dropped client.
  void mark_gone(const ConnectionId& connection) {
    failing_.erase(connection);
    gone_.insert(connection);
  }
  // From now on, calls to `connection` answer Failed (throttled, unreachable, ...).
  void mark_failing(const ConnectionId& connection) {
    gone_.erase(connection);
    failing_.insert(connection);
  }
  void mark_healthy(const ConnectionId& connection) {
    gone_.erase(connection);
    failing_.erase(connection);
  }

  const std::vector<Call>& calls() const { return calls_; }

  // Every post, in order, whatever it answered.
  std::vector<Post> posts() const {
    std::vector<Post> out;
    for (const Call& call : calls_) {
      if (call.kind == CallKind::Post) out.push_back({call.connection, call.data});
    }
    return out;
  }

  // The frames posted to one connection, in order.
  std::vector<std::string> posts_to(const ConnectionId& to) const {
    std::vector<std::string> out;
    for (const Call& call : calls_) {
      if (call.kind == CallKind::Post && call.connection == to) out.push_back(call.data);
    }
    return out;
  }

  std::vector<ConnectionId> disconnects() const {
    std::vector<ConnectionId> out;
    for (const Call& call : calls_) {
      if (call.kind == CallKind::Disconnect) out.push_back(call.connection);
    }
    return out;
  }

  // Forgets the calls recorded so far (the gone and failing marks stay).
  void clear() { calls_.clear(); }

 private:
  lambdas::PostResult result_for(const ConnectionId& connection) const {
    if (gone_.contains(connection)) return lambdas::PostResult::Gone;
    if (failing_.contains(connection)) return lambdas::PostResult::Failed;
    return lambdas::PostResult::Ok;
  }

  std::vector<Call> calls_;
  std::set<ConnectionId> gone_;
  std::set<ConnectionId> failing_;
};

// An event as API Gateway delivers it for `connection`. A MESSAGE event's route key is the one
// API Gateway would select for `body`; CONNECT and DISCONNECT events use $connect and $disconnect.
inline lambdas::WebSocketEvent make_event(lambdas::EventType type, const ConnectionId& connection,
                                          std::string body = {}) {
  lambdas::WebSocketEvent event;
  lambdas::RequestContext& context = event.request_context;
  context.event_type = type;
  context.connection_id = connection;
  switch (type) {
    case lambdas::EventType::Connect:
      context.route_key = lambdas::kRouteConnect;
      break;
    case lambdas::EventType::Disconnect:
      context.route_key = lambdas::kRouteDisconnect;
      context.disconnect_status_code = 1001;
      context.disconnect_reason = "Going away";
      break;
    case lambdas::EventType::Message:
      context.route_key = lambdas::select_route(body);
      context.message_id = "msg-" + connection.value;
      break;
  }
  context.domain_name = "abcdef1234.execute-api.eu-west-1.amazonaws.com";
  context.stage = "test";
  context.api_id = "abcdef1234";
  context.request_id = "req-" + connection.value;
  context.connected_at_ms = 1707502303419;
  context.request_time_epoch_ms = 1707502303420;
  context.source_ip = "203.0.113.7";
  event.body = std::move(body);
  return event;
}

inline lambdas::WebSocketEvent message_event(const ConnectionId& from, std::string body) {
  return make_event(lambdas::EventType::Message, from, std::move(body));
}

// `headers` use lower-case names, as parse_websocket_event leaves them.
inline lambdas::WebSocketEvent connect_event(const ConnectionId& connection,
                                             std::map<std::string, std::string> headers = {}) {
  lambdas::WebSocketEvent event = make_event(lambdas::EventType::Connect, connection);
  event.headers = std::move(headers);
  return event;
}

inline lambdas::WebSocketEvent disconnect_event(const ConnectionId& connection) {
  return make_event(lambdas::EventType::Disconnect, connection);
}

}  // namespace videochat::test

// Lets doctest print ids in failed assertions.
template <class Tag>
struct doctest::StringMaker<videochat::protocol::Id<Tag>> {
  static doctest::String convert(const videochat::protocol::Id<Tag>& id) {
    return ("Id{\"" + id.value + "\"}").c_str();
  }
};
