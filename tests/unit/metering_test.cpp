// The counting wrappers the Lambda adapter puts around the handlers' @connections client and the
// store's HTTP transport: they pass everything through unchanged and count it.
#include <doctest/doctest.h>

#include <vector>

#include "counting_connections.hpp"
#include "fake_aws_transport.hpp"
#include "fake_connections.hpp"
#include "metered_transport.hpp"

namespace {

using namespace videochat;
using lambdas::PostResult;
using protocol::ConnectionId;

}  // namespace

TEST_SUITE("metering") {
  TEST_CASE("posts, closes and probes reach the real client; posts and Gone answers are counted") {
    test::FakeConnections inner;
    inner.mark_gone(ConnectionId{"B="});
    metrics::CountingConnections counted(inner);

    CHECK(counted.post(ConnectionId{"A="}, "hi") == PostResult::Ok);
    const std::vector<ConnectionId> both{ConnectionId{"A="}, ConnectionId{"B="}};
    std::vector<PostResult> results;
    counted.post_to_each(both, "all", results);
    CHECK(results == std::vector<PostResult>{PostResult::Ok, PostResult::Gone});
    CHECK(counted.probe(ConnectionId{"B="}) == PostResult::Gone);
    CHECK(counted.disconnect(ConnectionId{"A="}) == PostResult::Ok);

    CHECK(inner.posts() == std::vector<test::Post>{{ConnectionId{"A="}, "hi"},
                                                   {ConnectionId{"A="}, "all"},
                                                   {ConnectionId{"B="}, "all"}});
    CHECK(inner.calls().size() == 5);
    CHECK(counted.posts() == 3);
    CHECK(counted.calls() == 5);
    CHECK(counted.gone() == 2);
  }

  TEST_CASE("the transport counts requests, failed ones too, and the time spent waiting for them") {
    test::ScriptedTransport inner;
    auto now = std::chrono::steady_clock::time_point{};
    int reads = 0;
    // Each request takes 3 ms on the fake clock: it advances on every second reading.
    metrics::MeteredTransport metered(inner, [&] {
      if (reads++ % 2 == 1) now += std::chrono::milliseconds(3);
      return now;
    });
    inner.answer_ok();
    inner.fail(true, "timed out");
    const metrics::TransportTotals before = metered.totals();
    CHECK(std::holds_alternative<aws::http::Response>(metered.send({}, std::chrono::seconds(1))));
    CHECK(std::holds_alternative<aws::http::Failure>(metered.send({}, std::chrono::seconds(1))));
    const metrics::TransportTotals spent = metered.totals() - before;
    CHECK(spent.requests == 2);
    CHECK(spent.waited == std::chrono::milliseconds(6));
    CHECK(inner.requests.size() == 2);
  }
}
