// The DynamoDB client as its callers rely on it: what goes on the wire, how AWS's answers are
// read, and which failures are retried (throttling, 5xx, timeouts: with full-jitter backoff,
// within the deadline) and which are handed back or thrown at once.
#include "dynamodb_client.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fake_aws_transport.hpp"

namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using videochat::aws::AnswerClass;
using videochat::aws::AwsError;
using videochat::aws::DynamoDbClient;
using videochat::aws::DynamoDbError;
using videochat::aws::RequestSigner;
using videochat::aws::RetryPolicy;
using videochat::aws::UnsignedRequests;
using videochat::aws::http::Header;
using videochat::aws::http::header_value;
using videochat::aws::http::Request;
using videochat::aws::http::Response;
using videochat::test::FakeRetryTime;
using videochat::test::ScriptedTransport;

// Signs each attempt with its own number, so a test can tell attempts apart.
struct CountingSigner final : RequestSigner {
  int signed_count = 0;
  std::vector<Header> sign(const Request&) override {
    return {{"Authorization", "attempt " + std::to_string(++signed_count)}};
  }
};

struct Client {
  ScriptedTransport transport;
  UnsignedRequests signer;
  FakeRetryTime time;
  RetryPolicy policy;
  DynamoDbClient client{"http://127.0.0.1:8000", transport, signer, policy, time.timing()};
};

const json kGet = {{"TableName", "rooms"}, {"Key", {{"pk", {{"S", "ROOM#a"}}}}}};

}  // namespace

TEST_SUITE("DynamoDB requests on the wire") {
  TEST_CASE("an operation is a POST of its JSON to the endpoint with X-Amz-Target and JSON 1.0") {
    Client c;
    c.transport.answer_ok({{"Item", json::object()}});
    c.client.call("GetItem", kGet);
    REQUIRE(c.transport.requests.size() == 1);
    const Request& sent = c.transport.requests[0];
    CHECK(sent.method == "POST");
    CHECK(sent.url == "http://127.0.0.1:8000/");
    CHECK(header_value(sent.headers, "X-Amz-Target") == "DynamoDB_20120810.GetItem");
    CHECK(header_value(sent.headers, "Content-Type") == "application/x-amz-json-1.0");
    CHECK(json::parse(sent.body) == kGet);
  }

  TEST_CASE("every attempt is signed afresh and carries the signer's headers") {
    ScriptedTransport transport;
    CountingSigner signer;
    FakeRetryTime time;
    DynamoDbClient client("https://dynamodb.eu-west-1.amazonaws.com/", transport, signer, {},
                          time.timing());
    transport.answer_error(400, "ThrottlingException", "Rate exceeded");
    transport.answer_ok();
    client.call("GetItem", kGet);
    REQUIRE(transport.requests.size() == 2);
    CHECK(transport.requests[0].url == "https://dynamodb.eu-west-1.amazonaws.com/");
    CHECK(header_value(transport.requests[0].headers, "Authorization") == "attempt 1");
    CHECK(header_value(transport.requests[1].headers, "Authorization") == "attempt 2");
  }
}

TEST_SUITE("DynamoDB error answers") {
  TEST_CASE("the error type is __type without its namespace, the message AWS's text") {
    auto error = videochat::aws::parse_aws_error(
        {400, {}, R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})"});
    REQUIRE(error);
    CHECK(error->http_status == 400);
    CHECK(error->type == "ValidationException");
    CHECK(error->message == "bad");
  }

  TEST_CASE("a capitalised Message is read too") {
    auto error = videochat::aws::parse_aws_error(
        {400, {}, R"({"__type":"x#AccessDeniedException","Message":"no"})"});
    REQUIRE(error);
    CHECK(error->message == "no");
  }

  TEST_CASE("without a JSON body the type comes from x-amzn-ErrorType, else the HTTP status") {
    auto from_header = videochat::aws::parse_aws_error(
        {503, {{"x-amzn-ErrorType", "ServiceUnavailableException:http://internal/"}}, "oops"});
    REQUIRE(from_header);
    CHECK(from_header->type == "ServiceUnavailableException");
    CHECK(from_header->message == "oops");
    auto bare = videochat::aws::parse_aws_error({502, {}, "<html>Bad Gateway</html>"});
    REQUIRE(bare);
    CHECK(bare->type == "HTTP502");
    CHECK(bare->message == "<html>Bad Gateway</html>");
  }

  TEST_CASE("2xx is success; conditional failure, throttling, 5xx and other 4xx are told apart") {
    using videochat::aws::classify;
    auto error = [](int status, const std::string& type) {
      return Response{
          status, {}, json{{"__type", "com.amazonaws.dynamodb.v20120810#" + type}}.dump()};
    };
    CHECK(classify({200, {}, "{}"}) == AnswerClass::Success);
    CHECK(classify(error(400, "ConditionalCheckFailedException")) == AnswerClass::ConditionFailed);
    CHECK(classify(error(400, "ProvisionedThroughputExceededException")) == AnswerClass::Retryable);
    CHECK(classify(error(400, "ThrottlingException")) == AnswerClass::Retryable);
    CHECK(classify(error(500, "InternalServerError")) == AnswerClass::Retryable);
    CHECK(classify({503, {}, ""}) == AnswerClass::Retryable);
    CHECK(classify(error(400, "ValidationException")) == AnswerClass::Fatal);
    CHECK(classify(error(400, "ResourceNotFoundException")) == AnswerClass::Fatal);
    CHECK(classify(error(403, "UnrecognizedClientException")) == AnswerClass::Fatal);
  }
}

TEST_SUITE("DynamoDB error mapping") {
  TEST_CASE("a failed condition is handed back at once, not retried and not thrown") {
    Client c;
    c.transport.answer_error(400, "ConditionalCheckFailedException",
                             "The conditional request failed");
    auto outcome = c.client.try_call("UpdateItem", kGet);
    REQUIRE(std::holds_alternative<AwsError>(outcome));
    CHECK(std::get<AwsError>(outcome).type == "ConditionalCheckFailedException");
    CHECK(c.transport.requests.size() == 1);
    CHECK(c.time.sleeps.empty());
  }

  TEST_CASE("another 4xx is thrown by call() as a StoreError naming the AWS type and message") {
    Client c;
    c.transport.answer_error(400, "ValidationException",
                             "One or more parameter values were invalid");
    try {
      c.client.call("PutItem", kGet);
      FAIL("call() returned");
    } catch (const DynamoDbError& error) {
      CHECK(error.operation() == "PutItem");
      CHECK(error.error().type == "ValidationException");
      CHECK(error.error().http_status == 400);
      CHECK(error.attempts() == 1);
      std::string what = error.what();
      CHECK(what.find("PutItem") != std::string::npos);
      CHECK(what.find("ValidationException") != std::string::npos);
      CHECK(what.find("One or more parameter values were invalid") != std::string::npos);
    }
    CHECK(c.transport.requests.size() == 1);
  }

  TEST_CASE("DynamoDbError is a StoreError, which the handlers answer with INTERNAL_ERROR") {
    Client c;
    c.transport.answer_error(400, "ResourceNotFoundException", "Requested resource not found");
    CHECK_THROWS_AS(c.client.call("GetItem", kGet), videochat::lambdas::StoreError);
  }

  TEST_CASE("throttling is retried after a backoff, then the answer is returned") {
    Client c;
    c.transport.answer_error(400, "ProvisionedThroughputExceededException", "slow down");
    c.transport.answer_error(400, "ThrottlingException", "Rate exceeded");
    c.transport.answer_ok({{"Item", {{"pk", {{"S", "ROOM#a"}}}}}});
    json answer = c.client.call("GetItem", kGet);
    CHECK(answer["Item"]["pk"]["S"] == "ROOM#a");
    CHECK(c.transport.requests.size() == 3);
    CHECK(c.time.sleeps == std::vector<milliseconds>{milliseconds(25), milliseconds(50)});
  }

  TEST_CASE("a 5xx is retried") {
    Client c;
    c.transport.answer_error(500, "InternalServerError", "Internal server error");
    c.transport.answer(503, json::object());
    c.transport.answer_ok();
    CHECK_NOTHROW(c.client.call("GetItem", kGet));
    CHECK(c.transport.requests.size() == 3);
  }

  TEST_CASE("a timeout or refused connection is retried") {
    Client c;
    c.transport.fail(/*timed_out=*/true, "Operation timed out after 1500 milliseconds");
    c.transport.fail(/*timed_out=*/false, "Connection refused");
    c.transport.answer_ok();
    CHECK_NOTHROW(c.client.call("GetItem", kGet));
    CHECK(c.transport.requests.size() == 3);
  }

  TEST_CASE("throttling that never ends is thrown once the next backoff would pass the deadline") {
    Client c;
    for (int i = 0; i < 20; ++i)
      c.transport.answer_error(400, "ThrottlingException", "Rate exceeded");
    try {
      c.client.call("GetItem", kGet);
      FAIL("call() returned");
    } catch (const DynamoDbError& error) {
      CHECK(error.error().type == "ThrottlingException");
      CHECK(std::string(error.what()).find("Rate exceeded") != std::string::npos);
      // 25 + 50 + 100 + 200 + 400 + 800 + 1000 ms of backoff; another 1000 would pass 3000.
      CHECK(error.attempts() == 8);
    }
    CHECK(c.transport.requests.size() == 8);
    milliseconds slept{0};
    for (auto pause : c.time.sleeps) slept += pause;
    CHECK(slept == milliseconds(2575));
    CHECK(slept < c.policy.deadline);
  }

  TEST_CASE("5xx after 5xx is thrown as a StoreError when attempts run out") {
    Client c;
    c.time.jitter_fraction = 0;  // no waiting: the attempt limit, not the deadline, ends it
    for (int i = 0; i < 10; ++i) c.transport.answer_error(500, "InternalServerError", "boom");
    CHECK_THROWS_AS(c.client.call("GetItem", kGet), DynamoDbError);
    CHECK(c.transport.requests.size() == 10);
  }

  TEST_CASE("timeouts until the deadline are thrown as a Timeout StoreError") {
    Client c;
    for (int i = 0; i < 20; ++i) c.transport.fail(true, "Operation timed out");
    try {
      c.client.call("GetItem", kGet);
      FAIL("call() returned");
    } catch (const DynamoDbError& error) {
      CHECK(error.error().type == "Timeout");
    }
  }

  TEST_CASE("each attempt's timeout is capped by what is left of the deadline") {
    Client c;
    c.policy.deadline = milliseconds(1000);  // shorter than the 1500 ms attempt timeout
    DynamoDbClient client("http://127.0.0.1:8000", c.transport, c.signer, c.policy,
                          c.time.timing());
    c.transport.fail(true, "timed out");
    c.transport.answer_ok();
    client.call("GetItem", kGet);
    CHECK(c.transport.timeouts == std::vector<milliseconds>{milliseconds(1000), milliseconds(975)});
  }

  TEST_CASE("an outer deadline (the invocation's) ends the retries before the policy's does") {
    Client c;
    for (int i = 0; i < 20; ++i)
      c.transport.answer_error(400, "ThrottlingException", "Rate exceeded");
    c.client.set_outer_deadline(c.time.now + milliseconds(200));
    CHECK_THROWS_AS(c.client.call("GetItem", kGet), DynamoDbError);
    milliseconds slept{0};
    for (auto pause : c.time.sleeps) slept += pause;
    // 25 + 50 + 100 ms fit in 200 ms; the next backoff (200 ms) would not.
    CHECK(slept == milliseconds(175));
    CHECK(c.transport.requests.size() == 4);
  }

  TEST_CASE("a 2xx answer that is not a JSON object is thrown, not trusted") {
    Client c;
    c.transport.answers.push_back(Response{200, {}, "<html>captive portal</html>"});
    CHECK_THROWS_AS(c.client.call("GetItem", kGet), DynamoDbError);
  }
}

TEST_SUITE("DynamoDB retry schedule") {
  TEST_CASE("the backoff ceiling doubles from the base and stops at the maximum") {
    RetryPolicy policy;
    using videochat::aws::backoff_ceiling;
    CHECK(backoff_ceiling(policy, 0) == milliseconds(25));
    CHECK(backoff_ceiling(policy, 1) == milliseconds(50));
    CHECK(backoff_ceiling(policy, 5) == milliseconds(800));
    CHECK(backoff_ceiling(policy, 6) == milliseconds(1000));
    CHECK(backoff_ceiling(policy, 60) == milliseconds(1000));
  }

  TEST_CASE("the system jitter stays within [0, ceiling]") {
    auto timing = videochat::aws::RetryTiming::system();
    for (int i = 0; i < 200; ++i) {
      auto pause = timing.jitter(milliseconds(40));
      CHECK(pause >= milliseconds(0));
      CHECK(pause <= milliseconds(40));
    }
  }
}

TEST_SUITE("DynamoDB consumed capacity") {
  using videochat::aws::consumed_capacity;
  using videochat::aws::OperationKind;

  TEST_CASE("CapacityUnits count as reads or writes by the operation's kind") {
    json answer = {{"ConsumedCapacity", {{"TableName", "rooms"}, {"CapacityUnits", 1.0}}}};
    CHECK(consumed_capacity(answer, OperationKind::Read).read_units == 1.0);
    CHECK(consumed_capacity(answer, OperationKind::Read).write_units == 0.0);
    CHECK(consumed_capacity(answer, OperationKind::Write).write_units == 1.0);
  }

  TEST_CASE("split Read/WriteCapacityUnits are taken as given") {
    json answer = {
        {"ConsumedCapacity",
         {{"CapacityUnits", 3.0}, {"ReadCapacityUnits", 1.0}, {"WriteCapacityUnits", 2.0}}}};
    auto units = consumed_capacity(answer, OperationKind::Write);
    CHECK(units.read_units == 1.0);
    CHECK(units.write_units == 2.0);
  }

  TEST_CASE("an answer without ConsumedCapacity consumed nothing that was reported") {
    auto units = consumed_capacity(json::object(), OperationKind::Read);
    CHECK(units.read_units == 0.0);
    CHECK(units.write_units == 0.0);
  }
}
