// How handlers reach clients: the API Gateway management API (`@connections`). On AWS it is HTTP
// signed with SigV4; in the local stack it is an in-process registry of live WebSockets. Routes
// are one-way, so everything a client receives goes through here.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "identifiers.hpp"

namespace videochat::lambdas {

enum class PostResult {
  Ok,
  Gone,    // the connection no longer exists (410 GoneException)
  Failed,  // anything else: throttled, unreachable, payload refused
};
std::string_view to_string(PostResult result);

class ConnectionsApi {
 public:
  virtual ~ConnectionsApi() = default;

  virtual PostResult post(const protocol::ConnectionId& to, std::string_view data) = 0;
  // Sends the same bytes to several connections (implementations may share one buffer); results[i]
  // tells how posting to to[i] went. `results` is overwritten, reusing its storage.
  virtual void post_to_each(std::span<const protocol::ConnectionId> to, std::string_view data,
                            std::vector<PostResult>& results) {
    results.clear();
    for (const auto& connection : to) results.push_back(post(connection, data));
  }
  // Closes the connection (DeleteConnection).
  virtual PostResult disconnect(const protocol::ConnectionId& connection) = 0;
  // Whether the connection still exists (GetConnection): Ok, Gone, or Failed when it cannot tell.
  virtual PostResult probe(const protocol::ConnectionId& connection) = 0;
};

}  // namespace videochat::lambdas
