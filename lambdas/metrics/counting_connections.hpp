// The @connections client the handlers see during one invocation: the real one, with every call
// counted (posts, and the ones API Gateway answered 410 Gone), for the invocation's metrics.
#pragma once

#include <cstdint>

#include "connections_api.hpp"

namespace videochat::metrics {

class CountingConnections final : public lambdas::ConnectionsApi {
 public:
  explicit CountingConnections(lambdas::ConnectionsApi& inner) : inner_(inner) {}

  lambdas::PostResult post(const protocol::ConnectionId& to, std::string_view data) override;
  // Passed on whole: the client may share one buffer among the posts.
  void post_to_each(std::span<const protocol::ConnectionId> to, std::string_view data,
                    std::vector<lambdas::PostResult>& results) override;
  lambdas::PostResult disconnect(const protocol::ConnectionId& connection) override;
  lambdas::PostResult probe(const protocol::ConnectionId& connection) override;

  std::uint64_t calls() const { return calls_; }  // of any kind
  std::uint64_t posts() const { return posts_; }
  std::uint64_t gone() const { return gone_; }  // calls answered Gone

 private:
  lambdas::PostResult counted(lambdas::PostResult result);

  lambdas::ConnectionsApi& inner_;
  std::uint64_t calls_ = 0;
  std::uint64_t posts_ = 0;
  std::uint64_t gone_ = 0;
};

}  // namespace videochat::metrics
