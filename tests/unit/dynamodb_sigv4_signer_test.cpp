// SigV4 as the DynamoDB client uses it: the URL split into what is signed, and the headers a
// request gains (date, session token, Authorization scoped to the region and "dynamodb").
#include "sigv4_request_signer.hpp"

#include <doctest/doctest.h>

#include "dynamodb_client.hpp"

namespace {

using videochat::aws::SigningError;
using videochat::aws::SigV4RequestSigner;
using videochat::aws::to_signable;
using videochat::aws::http::header_value;
using videochat::aws::http::Request;

Request post_to(std::string url) {
  return videochat::aws::build_request(url, "GetItem", {{"TableName", "rooms"}});
}

}  // namespace

TEST_SUITE("SigV4 for DynamoDB") {
  TEST_CASE("the host is signed without the scheme's default port, with any other port") {
    CHECK(to_signable(post_to("https://dynamodb.eu-west-1.amazonaws.com")).host ==
          "dynamodb.eu-west-1.amazonaws.com");
    CHECK(to_signable(post_to("https://dynamodb.eu-west-1.amazonaws.com:443")).host ==
          "dynamodb.eu-west-1.amazonaws.com");
    CHECK(to_signable(post_to("http://127.0.0.1:8000")).host == "127.0.0.1:8000");
  }

  TEST_CASE("the path, method, headers and body are signed as they will be sent") {
    auto signable = to_signable(post_to("http://127.0.0.1:8000"));
    CHECK(signable.method == "POST");
    CHECK(signable.path == "/");
    CHECK(signable.body == R"({"TableName":"rooms"})");
    REQUIRE(signable.headers.size() == 2);
    CHECK(signable.headers[1].name == "X-Amz-Target");
  }

  TEST_CASE("a URL that is not http(s) or carries a query cannot be signed") {
    Request request = post_to("http://127.0.0.1:8000");
    request.url = "ftp://example.com/";
    CHECK_THROWS_AS(to_signable(request), SigningError);
    request.url = "https://example.com/?a=b";
    CHECK_THROWS_AS(to_signable(request), SigningError);
  }

  TEST_CASE("signing adds the date, the session token and an Authorization for dynamodb") {
    using namespace std::chrono;
    auto at = sys_days{year{2026} / 11 / 25} + hours(17) + minutes(22) + seconds(23);
    SigV4RequestSigner signer({"AKIDEXAMPLE", "secret", std::string("session")}, "eu-west-1",
                              "dynamodb", [at] { return at; });
    auto headers = signer.sign(post_to("https://dynamodb.eu-west-1.amazonaws.com"));
    CHECK(header_value(headers, "X-Amz-Date") == "20261125T172223Z");
    CHECK(header_value(headers, "X-Amz-Security-Token") == "session");
    std::string authorization(header_value(headers, "Authorization"));
    CHECK(authorization.starts_with(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/eu-west-1/dynamodb/aws4_request"));
    CHECK(authorization.find("x-amz-target") != std::string::npos);
  }
}
