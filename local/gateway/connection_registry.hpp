// The live WebSockets by connection id: the local stack's `@connections` API. Handlers post
// through it (in process), and so does the HTTP management API.
#pragma once

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "connections_api.hpp"
#include "live_connection.hpp"

namespace videochat::local {

class ConnectionRegistry final : public lambdas::ConnectionsApi {
 public:
  void add(const std::string& id, std::weak_ptr<LiveConnection> connection);
  void remove(const std::string& id);
  std::shared_ptr<LiveConnection> find(const std::string& id) const;
  std::size_t size() const;
  void for_each(const std::function<void(LiveConnection&)>& visit) const;

  lambdas::PostResult post(const protocol::ConnectionId& to, std::string_view data) override;
  // One frame, from this thread's pool (frame_pool.hpp), shared by every recipient's write queue.
  void post_to_each(std::span<const protocol::ConnectionId> to, std::string_view data,
                    std::vector<lambdas::PostResult>& results) override;
  lambdas::PostResult disconnect(const protocol::ConnectionId& connection) override;
  lambdas::PostResult probe(const protocol::ConnectionId& connection) override;

 private:
  lambdas::PostResult post_shared(const std::string& to,
                                  const std::shared_ptr<const std::string>& frame) const;

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<LiveConnection>> connections_;
};

}  // namespace videochat::local
