// The @connections client the handlers use on AWS: the URL and method of each call, a SigV4
// signature on every request, and what each answer means to the handlers (Gone is not Failed).
#include <doctest/doctest.h>

#include "fake_aws_transport.hpp"
#include "management_api_client.hpp"
#include "sigv4_request_signer.hpp"

namespace {

using namespace videochat;
using aws::ManagementApiClient;
using lambdas::PostResult;
using protocol::ConnectionId;

const ConnectionId kConnection{"L0SM9cOFvHcCIhw="};
const std::string kEndpoint = "https://abc123.execute-api.eu-west-1.amazonaws.com/production";

aws::http::Response response(int status, std::string error_type = {}) {
  aws::http::Response answer{status, {}, {}};
  if (!error_type.empty()) answer.headers.push_back({"x-amzn-ErrorType", error_type});
  return answer;
}

struct Fixture {
  test::ScriptedTransport transport;
  aws::SigV4RequestSigner signer{{"AKIDEXAMPLE", "secret", std::nullopt}, "eu-west-1",
                                 "execute-api",
                                 [] { return std::chrono::system_clock::from_time_t(1764090000); }};
  ManagementApiClient client{transport, signer, kEndpoint};
};

}  // namespace

TEST_SUITE("management API client") {
  TEST_CASE("a post goes to @connections/{id} with the id percent-encoded, signed for execute-api") {
    Fixture f;
    f.transport.answers.push_back(response(200));

    CHECK(f.client.post(kConnection, "hello") == PostResult::Ok);

    REQUIRE(f.transport.requests.size() == 1);
    const auto& request = f.transport.requests[0];
    CHECK(request.method == "POST");
    CHECK(request.url == kEndpoint + "/@connections/L0SM9cOFvHcCIhw%3D");
    CHECK(request.body == "hello");
    std::string authorization(aws::http::header_value(request.headers, "Authorization"));
    CHECK(authorization.find("/eu-west-1/execute-api/aws4_request") != std::string::npos);
    CHECK_FALSE(aws::http::header_value(request.headers, "X-Amz-Date").empty());
  }

  TEST_CASE("410 means the connection is gone, which the handlers treat differently from failure") {
    Fixture f;
    f.transport.answers.push_back(response(410, "GoneException"));
    CHECK(f.client.post(kConnection, "x") == PostResult::Gone);
  }

  TEST_CASE("a refused request (403) fails without retrying") {
    Fixture f;
    f.transport.answers.push_back(response(403, "ForbiddenException"));
    CHECK(f.client.post(kConnection, "x") == PostResult::Failed);
    CHECK(f.transport.requests.size() == 1);
  }

  TEST_CASE("throttling (429) is retried once") {
    Fixture f;
    f.transport.answers.push_back(response(429, "LimitExceededException"));
    f.transport.answers.push_back(response(200));
    CHECK(f.client.post(kConnection, "x") == PostResult::Ok);
    CHECK(f.transport.requests.size() == 2);
  }

  TEST_CASE("a server error twice in a row fails") {
    Fixture f;
    f.transport.answers.push_back(response(500));
    f.transport.answers.push_back(response(503));
    CHECK(f.client.post(kConnection, "x") == PostResult::Failed);
  }

  TEST_CASE("a timeout fails at once: a second wait could outlast the invocation") {
    Fixture f;
    f.transport.fail(/*timed_out=*/true, "timeout");
    CHECK(f.client.post(kConnection, "x") == PostResult::Failed);
    CHECK(f.transport.requests.size() == 1);
  }

  TEST_CASE("disconnect is a DELETE; 204 is success and 410 is gone") {
    Fixture f;
    f.transport.answers.push_back(response(204));
    f.transport.answers.push_back(response(410, "GoneException"));
    CHECK(f.client.disconnect(kConnection) == PostResult::Ok);
    CHECK(f.client.disconnect(kConnection) == PostResult::Gone);
    CHECK(f.transport.requests[0].method == "DELETE");
    CHECK(f.transport.requests[0].body.empty());
  }

  TEST_CASE("the endpoint follows the event: https for API Gateway, http for a local emulator") {
    CHECK(aws::management_endpoint("abc.execute-api.eu-west-1.amazonaws.com", "production") ==
          "https://abc.execute-api.eu-west-1.amazonaws.com/production");
    CHECK(aws::management_endpoint("127.0.0.1:8080", "production") ==
          "http://127.0.0.1:8080/production");
  }
}
