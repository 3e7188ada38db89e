#include "counting_connections.hpp"

namespace videochat::metrics {

lambdas::PostResult CountingConnections::counted(lambdas::PostResult result) {
  ++calls_;
  if (result == lambdas::PostResult::Gone) ++gone_;
  return result;
}

lambdas::PostResult CountingConnections::post(const protocol::ConnectionId& to,
                                              std::string_view data) {
  ++posts_;
  return counted(inner_.post(to, data));
}

void CountingConnections::post_to_each(std::span<const protocol::ConnectionId> to,
                                       std::string_view data,
                                       std::vector<lambdas::PostResult>& results) {
  inner_.post_to_each(to, data, results);
  posts_ += to.size();
  for (const lambdas::PostResult result : results) counted(result);
}

lambdas::PostResult CountingConnections::disconnect(const protocol::ConnectionId& connection) {
  return counted(inner_.disconnect(connection));
}

lambdas::PostResult CountingConnections::probe(const protocol::ConnectionId& connection) {
  return counted(inner_.probe(connection));
}

}  // namespace videochat::metrics
