// The Lambda runtime loop and the per-invocation glue: each invocation is answered exactly once,
// for its own request id, whatever the event; the loop survives everything and keeps serving.
#include <doctest/doctest.h>

#include <deque>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fake_aws_transport.hpp"
#include "fake_connections.hpp"
#include "memory_room_store.hpp"
#include "runtime_loop.hpp"
#include "sigv4_request_signer.hpp"
#include "websocket_invocation.hpp"

namespace {

using namespace videochat;
using runtime::Invocation;

struct Answer {
  std::string request_id;
  bool ok = false;
  std::string body_or_type;
};

// A Runtime API that hands out scripted invocations (nothing = a failed /next) and records answers.
class ScriptedRuntime final : public runtime::RuntimeApi {
 public:
  std::deque<std::optional<Invocation>> script;
  std::vector<Answer> answers;
  std::vector<std::string> init_errors;

  std::optional<Invocation> next() override {
    auto invocation = script.front();
    script.pop_front();
    return invocation;
  }
  bool respond(const std::string& id, const std::string& body) override {
    answers.push_back({id, true, body});
    return true;
  }
  bool fail(const std::string& id, const std::string& type, const std::string&) override {
    answers.push_back({id, false, type});
    return true;
  }
  void init_error(const std::string& type, const std::string&) override {
    init_errors.push_back(type);
  }
};

Invocation invocation(std::string id, std::string payload) {
  return {std::move(id), 0, "arn:aws:lambda:us-east-1:1:function:f", "", std::move(payload)};
}

void run(ScriptedRuntime& api, const runtime::InvocationHandler& handler,
         std::vector<int>* pauses = nullptr) {
  lambdas::NullLogger log;
  runtime::LoopControl control;
  control.keep_going = [&] { return !api.script.empty(); };
  control.pause = [&](int failures) {
    if (pauses) pauses->push_back(failures);
  };
  runtime::run_runtime_loop(api, handler, log, control);
}

// An API Gateway event as Lambda delivers it.
std::string event_json(const std::string& route, const std::string& connection,
                       const std::string& body = "") {
  auto event = test::make_event(route == "$connect"      ? lambdas::EventType::Connect
                                : route == "$disconnect" ? lambdas::EventType::Disconnect
                                                         : lambdas::EventType::Message,
                                protocol::ConnectionId{connection}, body);
  event.request_context.route_key = route;
  event.request_context.domain_name = "abc.execute-api.eu-west-1.amazonaws.com";
  event.request_context.stage = "production";
  return lambdas::to_json(event).dump();
}

}  // namespace

TEST_SUITE("Lambda runtime loop") {
  TEST_CASE("each invocation is answered once, with the handler's body, under its own id") {
    ScriptedRuntime api;
    api.script = {invocation("r1", "a"), invocation("r2", "b")};
    run(api, [](const Invocation& i) { return "echo " + i.payload; });
    REQUIRE(api.answers.size() == 2);
    CHECK(api.answers[0].request_id == "r1");
    CHECK(api.answers[0].body_or_type == "echo a");
    CHECK(api.answers[1].request_id == "r2");
    CHECK(api.answers[1].ok);
  }

  TEST_CASE("an invalid event is answered as an InvalidEvent error, and the loop goes on") {
    ScriptedRuntime api;
    api.script = {invocation("bad", "x"), invocation("good", "y")};
    run(api, [](const Invocation& i) -> std::string {
      if (i.request_id == "bad") throw runtime::InvalidEvent("not an event");
      return "ok";
    });
    REQUIRE(api.answers.size() == 2);
    CHECK_FALSE(api.answers[0].ok);
    CHECK(api.answers[0].body_or_type == "InvalidEvent");
    CHECK(api.answers[1].ok);
  }

  TEST_CASE("any other exception is a HandlerError, never a crash") {
    ScriptedRuntime api;
    api.script = {invocation("r", "x")};
    run(api, [](const Invocation&) -> std::string { throw std::runtime_error("boom"); });
    REQUIRE(api.answers.size() == 1);
    CHECK(api.answers[0].body_or_type == "HandlerError");
  }

  TEST_CASE("a failed /next pauses, longer each time in a row, and asks again instead of exiting") {
    ScriptedRuntime api;
    api.script = {std::nullopt, std::nullopt, invocation("r", "x"), std::nullopt};
    std::vector<int> pauses;
    run(api, [](const Invocation&) { return std::string("ok"); }, &pauses);
    // The count starts over after a success.
    CHECK(pauses == std::vector<int>{1, 2, 1});
    REQUIRE(api.answers.size() == 1);
    CHECK(api.answers[0].request_id == "r");
  }
}

TEST_SUITE("WebSocket invocations") {
  struct Fixture {
    lambdas::MemoryRoomStore store;
    test::ScriptedTransport transport;
    aws::UnsignedRequests signer;
    aws::ManagementApiClient connections{transport, signer, ""};
    lambdas::NullLogger log;
    lambdas::HandlerConfig config;
    lambdas::HandlerServices services{store, connections, log, config};

    std::string invoke(const std::string& payload) {
      return runtime::handle_websocket_invocation(invocation("r", payload), services, connections);
    }
  };

  TEST_CASE("an event that is not JSON, or not an object, or not a WebSocket event, is invalid") {
    Fixture f;
    CHECK_THROWS_AS(f.invoke("{not json"), runtime::InvalidEvent);
    CHECK_THROWS_AS(f.invoke("\"a string\""), runtime::InvalidEvent);
    CHECK_THROWS_AS(f.invoke(R"({"hello":"world"})"), runtime::InvalidEvent);
  }

  TEST_CASE("a join reaches the other member through the event's own @connections endpoint") {
    Fixture f;
    CHECK(nlohmann::json::parse(f.invoke(event_json("$connect", "A=")))["statusCode"] == 200);
    f.invoke(event_json("$connect", "B="));
    f.transport.answers.push_back(aws::http::Response{200, {}, {}});  // A's joined
    f.invoke(event_json("joinRoom", "A=", R"({"action":"joinRoom","roomId":"r1"})"));
    f.transport.requests.clear();
    f.transport.answers.push_back(aws::http::Response{200, {}, {}});  // newParticipant to A
    f.transport.answers.push_back(aws::http::Response{200, {}, {}});  // B's joined

    auto response =
        nlohmann::json::parse(f.invoke(event_json("joinRoom", "B=", R"({"action":"joinRoom","roomId":"r1"})")));

    CHECK(response["statusCode"] == 200);
    REQUIRE(f.transport.requests.size() == 2);
    CHECK(f.transport.requests[0].url ==
          "https://abc.execute-api.eu-west-1.amazonaws.com/production/@connections/A%3D");
    CHECK(nlohmann::json::parse(f.transport.requests[0].body)["participantConnectionId"] == "B=");
    CHECK(f.transport.requests[1].url ==
          "https://abc.execute-api.eu-west-1.amazonaws.com/production/@connections/B%3D");
    CHECK(nlohmann::json::parse(f.transport.requests[1].body)["type"] == "joined");
  }
}
