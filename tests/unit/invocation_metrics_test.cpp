// What each invocation publishes: only the metrics that describe it, per function, and errors by
// the code the sender was told.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "emf_validator.hpp"
#include "invocation_metrics.hpp"

namespace {

using namespace videochat;
using namespace std::chrono_literals;
using metrics::InvocationCounts;

const metrics::MetricsSettings kSettings{"VideoChat", "videochat-SignalingFunction-1A2B"};
const std::vector<std::string> kPerFunction{"FunctionName"};
const std::vector<std::string> kPerCode{"FunctionName", "ErrorCode"};

nlohmann::json published(const InvocationCounts& counts) {
  const nlohmann::json line =
      metrics::to_json(metrics::invocation_document(counts, kSettings, 1765000000000));
  if (!line.is_null()) CHECK(test::emf_problems(line).empty());
  return line;
}

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_SUITE("invocation metrics") {
  TEST_CASE("a join publishes Joins, its posts and its store requests, per function") {
    InvocationCounts join{"joinRoom", 200, "", 2, 2, 0, 2, 3500us};
    const nlohmann::json line = published(join);
    CHECK(sorted(test::emf_metric_names(line, kPerFunction)) ==
          std::vector<std::string>{"ConnectionPosts", "GoneConnections", "Joins", "StoreLatency",
                                   "StoreRequests"});
    CHECK(test::emf_metric_names(line, kPerCode).empty());
    CHECK(line["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "VideoChat");
    CHECK(line["FunctionName"] == "videochat-SignalingFunction-1A2B");
    CHECK(line["Joins"] == 1);
    CHECK(line["ConnectionPosts"] == 2);
    CHECK(line["GoneConnections"] == 0);
    CHECK(line["StoreRequests"] == 2);
    CHECK(line["StoreLatency"] == 3.5);
    CHECK(line["_aws"]["Timestamp"] == 1765000000000);
  }

  TEST_CASE("a relayed message publishes its fan-out: the posts it made") {
    InvocationCounts relay{"sendMsgToRoom", 200, "", 5, 5, 1, 1, 1ms};
    const nlohmann::json line = published(relay);
    CHECK(line["RelayedMessages"] == 1);
    CHECK(line["RelayFanOut"] == 5);
    CHECK(line["GoneConnections"] == 1);
    CHECK_FALSE(line.contains("Joins"));
  }

  TEST_CASE("a refused request publishes ErrorResponses under its code, and no success metric") {
    InvocationCounts full{"joinRoom", 409, "ROOM_FULL", 1, 1, 0, 2, 2ms};
    const nlohmann::json line = published(full);
    CHECK(test::emf_metric_names(line, kPerCode) == std::vector<std::string>{"ErrorResponses"});
    CHECK(line["ErrorCode"] == "ROOM_FULL");
    CHECK(line["ErrorResponses"] == 1);
    CHECK_FALSE(line.contains("Joins"));
    InvocationCounts not_in_room{"sendMsgToRoom", 400, "NOT_IN_ROOM", 1, 1, 0, 1, 1ms};
    CHECK_FALSE(published(not_in_room).contains("RelayedMessages"));
  }

  TEST_CASE("a ping publishes its post only; an invocation with nothing to count, nothing") {
    const nlohmann::json ping = published({"ping", 200, "", 1, 1, 0, 0, 0ns});
    CHECK(sorted(test::emf_metric_names(ping, kPerFunction)) ==
          std::vector<std::string>{"ConnectionPosts", "GoneConnections"});
    CHECK(metrics::to_json(
              metrics::invocation_document({"$default", 200, "", 0, 0, 0, 0, 0ns}, kSettings, 1))
              .is_null());
  }

  TEST_CASE("a probe or a close that finds the connection gone counts as gone, not as a post") {
    const nlohmann::json line = published({"joinRoom", 200, "", 3, 1, 1, 3, 1ms});
    CHECK(line["ConnectionPosts"] == 1);
    CHECK(line["GoneConnections"] == 1);
  }

  TEST_CASE("the error code is the error frame's, else the HTTP status; never a client's words") {
    CHECK(metrics::error_code_of(409, R"({"type":"error","code":"ROOM_FULL","message":"full"})") ==
          "ROOM_FULL");
    CHECK(metrics::error_code_of(403, "origin not allowed") == "HTTP_403");
    CHECK(metrics::error_code_of(404, std::nullopt) == "HTTP_404");
    CHECK(metrics::error_code_of(400, R"({"code":"some text a client chose"})") == "HTTP_400");
    CHECK(metrics::error_code_of(400, R"({"code":42})") == "HTTP_400");
  }

  TEST_CASE("every metric name is one the template's alarms and dashboard can name") {
    for (std::string_view name : metrics::kMetricNames) {
      CHECK(!name.empty());
      CHECK(std::count(metrics::kMetricNames.begin(), metrics::kMetricNames.end(), name) == 1);
    }
    CHECK_FALSE(metrics::namespace_problem(metrics::kDefaultNamespace));
  }
}
