#include "connection_registry.hpp"

#include <mutex>
#include <vector>

#include "frame_pool.hpp"

namespace videochat::local {

using lambdas::PostResult;

void ConnectionRegistry::add(const std::string& id, std::weak_ptr<LiveConnection> connection) {
  std::unique_lock lock(mutex_);
  connections_[id] = std::move(connection);
}

void ConnectionRegistry::remove(const std::string& id) {
  std::unique_lock lock(mutex_);
  connections_.erase(id);
}

std::shared_ptr<LiveConnection> ConnectionRegistry::find(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second.lock();
}

std::size_t ConnectionRegistry::size() const {
  std::shared_lock lock(mutex_);
  return connections_.size();
}

void ConnectionRegistry::for_each(const std::function<void(LiveConnection&)>& visit) const {
  // Copy under the lock, call outside it: a visitor may close a connection, which unregisters it.
  std::vector<std::shared_ptr<LiveConnection>> live;
  {
    std::shared_lock lock(mutex_);
    live.reserve(connections_.size());
    for (const auto& [id, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (const auto& connection : live) visit(*connection);
}

PostResult ConnectionRegistry::post_shared(const std::string& to,
                                           const std::shared_ptr<const std::string>& frame) const {
  auto connection = find(to);
  if (!connection) return PostResult::Gone;
  return connection->send(frame) ? PostResult::Ok : PostResult::Gone;
}

PostResult ConnectionRegistry::post(const protocol::ConnectionId& to, std::string_view data) {
  return post_shared(to.value, frames_for_this_thread().copy_of(data));
}

void ConnectionRegistry::post_to_each(std::span<const protocol::ConnectionId> to,
                                      std::string_view data, std::vector<PostResult>& results) {
  auto frame = frames_for_this_thread().copy_of(data);
  results.clear();
  for (const auto& connection : to) results.push_back(post_shared(connection.value, frame));
}

PostResult ConnectionRegistry::probe(const protocol::ConnectionId& connection) {
  return find(connection.value) ? PostResult::Ok : PostResult::Gone;
}

PostResult ConnectionRegistry::disconnect(const protocol::ConnectionId& connection) {
  auto live = find(connection.value);
  if (!live) return PostResult::Gone;
  live->close(1000, "Connection Closed Normally");
  return PostResult::Ok;
}

}  // namespace videochat::local
