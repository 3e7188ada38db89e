// The Lambda adapter's metrics: each invocation's `route` line is also its EMF document, with the
// @connections calls and the DynamoDB requests the handler made, counted where they happen.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "dynamodb_room_store.hpp"
#include "emf_validator.hpp"
#include "fake_aws_transport.hpp"
#include "fake_connections.hpp"
#include "metered_transport.hpp"
#include "sigv4_request_signer.hpp"
#include "websocket_invocation.hpp"

namespace {

using namespace videochat;

class KeepingLogger final : public lambdas::Logger {
 public:
  void write(nlohmann::json line) override { lines.push_back(std::move(line)); }
  std::vector<nlohmann::json> lines;
};

std::string event_json(const std::string& route, const std::string& connection,
                       const std::string& body = "") {
  auto event = test::make_event(
      route == "$connect" ? lambdas::EventType::Connect : lambdas::EventType::Message,
      protocol::ConnectionId{connection}, body);
  event.request_context.route_key = route;
  event.request_context.domain_name = "abc.execute-api.eu-west-1.amazonaws.com";
  event.request_context.stage = "production";
  return lambdas::to_json(event).dump();
}

// The function as lambda_main assembles it: the DynamoDB store on a metered transport, the
// @connections client on another, both scripted.
struct Function {
  test::ScriptedTransport dynamodb;
  metrics::MeteredTransport metered{dynamodb};
  aws::UnsignedRequests signer;
  test::FakeRetryTime time;
  aws::DynamoDbClient client{"http://127.0.0.1:8000", metered, signer, {}, time.timing()};
  aws::DynamoDbRoomStore store{client, "rooms"};
  test::ScriptedTransport management;
  aws::ManagementApiClient connections{management, signer, ""};
  KeepingLogger log;
  lambdas::HandlerConfig config;
  lambdas::HandlerServices services{store, connections, log, config};
  runtime::InvocationMetering metering{
      {"VideoChat", "videochat-fn"}, &metered, [] { return std::int64_t{1765000000000}; }};

  // The route line the invocation wrote.
  nlohmann::json invoke(const std::string& payload, bool metered_invocation = true) {
    log.lines.clear();
    runtime::handle_websocket_invocation({"req-1", 0, "arn", "", payload}, services, connections,
                                         metered_invocation ? &metering : nullptr);
    for (const auto& line : log.lines) {
      if (line.value("event", "") == "route") return line;
    }
    FAIL("no route line");
    return {};
  }
};

}  // namespace

TEST_SUITE("WebSocket invocation metrics") {
  TEST_CASE("$connect's route line is EMF with the one DynamoDB request it made") {
    Function f;
    f.dynamodb.answer_ok();
    const nlohmann::json line = f.invoke(event_json("$connect", "A="));
    CHECK(test::emf_problems(line).empty());
    CHECK(line["route"] == "$connect");
    CHECK(line["status"] == 200);
    CHECK(line["requestId"] == "req-1");
    CHECK(line["FunctionName"] == "videochat-fn");
    CHECK(line["StoreRequests"] == 1);
    CHECK(line["StoreLatency"] >= 0);
    CHECK_FALSE(line.contains("ConnectionPosts"));
    CHECK(f.log.lines.size() == 1);  // no line of its own
  }

  TEST_CASE("a message to a room one is not in: its error by code, its read and its one post") {
    Function f;
    f.dynamodb.answer_ok();                                            // GetItem: no such room
    f.management.answers.push_back(aws::http::Response{200, {}, {}});  // the error frame
    const nlohmann::json line = f.invoke(event_json(
        "sendMsgToRoom", "A=", R"({"action":"sendMsgToRoom","roomId":"r1","message":"x"})"));
    CHECK(test::emf_problems(line).empty());
    CHECK(line["status"] == 400);
    CHECK(line["ErrorCode"] == "NOT_IN_ROOM");
    CHECK(line["ErrorResponses"] == 1);
    CHECK(line["StoreRequests"] == 1);
    CHECK(line["ConnectionPosts"] == 1);
    CHECK_FALSE(line.contains("RelayedMessages"));
  }

  TEST_CASE("a pong to a connection API Gateway says is gone counts as gone") {
    Function f;
    f.management.answers.push_back(aws::http::Response{410, {}, {}});
    const nlohmann::json line = f.invoke(event_json("ping", "A=", R"({"action":"ping"})"));
    CHECK(test::emf_problems(line).empty());
    CHECK(line["ConnectionPosts"] == 1);
    CHECK(line["GoneConnections"] == 1);
    CHECK_FALSE(line.contains("StoreRequests"));
  }

  TEST_CASE("without metering the route line is the plain one") {
    Function f;
    f.management.answers.push_back(aws::http::Response{200, {}, {}});
    const nlohmann::json line = f.invoke(event_json("ping", "A=", R"({"action":"ping"})"), false);
    CHECK(line["route"] == "ping");
    CHECK_FALSE(line.contains("_aws"));
  }
}
