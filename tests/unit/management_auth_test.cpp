// SigV4 verification on videochat-local's management API: requests signed by our own signer (which
// matches AWS's vectors and botocore) pass; anything stale, forged or incomplete is refused with
// AWS's error type.
#include <doctest/doctest.h>

#include <chrono>

#include "management_auth.hpp"
#include "sigv4.hpp"

namespace {

using namespace videochat;
using local::ManagementCredentials;
using local::ReceivedRequest;

const ManagementCredentials kCredentials{"AKIDLOCAL", "s3cret", "us-east-1"};
const auto kSignedAt = std::chrono::system_clock::from_time_t(1764090000);  // 2025-11-25T17:00:00Z

// A POST to @connections signed as an AWS SDK would sign it, as the server receives it.
ReceivedRequest signed_post(const std::string& secret = "s3cret",
                            std::optional<std::string> token = std::nullopt,
                            const std::string& region = "us-east-1") {
  aws::HttpRequest request;
  request.method = "POST";
  request.host = "127.0.0.1:8080";
  request.path = "/production/@connections/L0SM9cOFvHcCIhw%3D";
  request.headers = {{"Content-Type", "application/octet-stream"}};
  request.body = "hello";
  aws::SigningParams params{{"AKIDLOCAL", secret, token}, region, "execute-api",
                            aws::AmzDate::from(kSignedAt)};
  aws::Signature signature = aws::sign(request, params);
  ReceivedRequest received{"POST", request.path, "", {{"Host", request.host}}, request.body};
  for (const auto& header : request.headers) received.headers.push_back(header);
  for (const auto& header : signature.headers) received.headers.push_back(header);
  return received;
}

std::string refusal_type(const ReceivedRequest& request,
                         std::chrono::system_clock::time_point now = kSignedAt) {
  auto refusal = local::verify_management_request(request, kCredentials, now);
  return refusal ? refusal->error_type : "accepted";
}

}  // namespace

TEST_SUITE("management API signatures") {
  TEST_CASE("a request signed with the configured key is accepted") {
    CHECK(refusal_type(signed_post()) == "accepted");
  }

  TEST_CASE("a request signed with temporary credentials (a session token) is accepted") {
    CHECK(refusal_type(signed_post("s3cret", std::string("session-token"))) == "accepted");
  }

  TEST_CASE("a request signed with another secret is refused as a signature mismatch") {
    CHECK(refusal_type(signed_post("wrong")) == "InvalidSignatureException");
  }

  TEST_CASE("a request whose body changed after signing is refused") {
    auto request = signed_post();
    request.body = "tampered";
    CHECK(refusal_type(request) == "InvalidSignatureException");
  }

  TEST_CASE("a request for another connection than the one signed is refused") {
    auto request = signed_post();
    request.path = "/production/@connections/SomeoneElse%3D";
    CHECK(refusal_type(request) == "InvalidSignatureException");
  }

  TEST_CASE("a signature more than five minutes old or early is refused as expired") {
    CHECK(refusal_type(signed_post(), kSignedAt + std::chrono::minutes(4)) == "accepted");
    auto late = local::verify_management_request(signed_post(), kCredentials,
                                                 kSignedAt + std::chrono::minutes(6));
    REQUIRE(late);
    CHECK(late->error_type == "InvalidSignatureException");
    CHECK(late->message.find("expired") != std::string::npos);
    CHECK(refusal_type(signed_post(), kSignedAt - std::chrono::minutes(6)) ==
          "InvalidSignatureException");
  }

  TEST_CASE("an unknown access key is refused as an unrecognized client") {
    auto request = signed_post();
    for (auto& header : request.headers) {
      if (header.name == "Authorization") {
        header.value.replace(header.value.find("AKIDLOCAL"), 9, "AKIDOTHER");
      }
    }
    CHECK(refusal_type(request) == "UnrecognizedClientException");
  }

  TEST_CASE("without the secret, an unknown access key is refused as a known one is: no oracle") {
    auto known = signed_post("wrong secret");
    auto unknown = signed_post("wrong secret");
    for (auto& header : unknown.headers) {
      if (header.name == "Authorization") {
        header.value.replace(header.value.find("AKIDLOCAL"), 9, "AKIDOTHER");
      }
    }
    CHECK(refusal_type(known) == "InvalidSignatureException");
    CHECK(refusal_type(unknown) == "InvalidSignatureException");
  }

  TEST_CASE("a request scoped to another region is refused") {
    CHECK(refusal_type(signed_post("s3cret", std::nullopt, "eu-west-1")) ==
          "InvalidSignatureException");
  }

  TEST_CASE("a request without Authorization is refused as missing a token") {
    ReceivedRequest request{"POST", "/production/@connections/abc%3D", "", {{"Host", "h"}}, "x"};
    CHECK(refusal_type(request) == "MissingAuthenticationTokenException");
  }

  TEST_CASE("a malformed Authorization header is refused as incomplete") {
    auto request = signed_post();
    for (auto& header : request.headers) {
      if (header.name == "Authorization") header.value = "AWS4-HMAC-SHA256 Credential=AKIDLOCAL";
    }
    CHECK(refusal_type(request) == "IncompleteSignatureException");
  }

  TEST_CASE("credentials are given as KEY:SECRET or KEY:SECRET:REGION") {
    auto plain = local::parse_management_credentials("AKID:secret");
    REQUIRE(plain);
    CHECK(plain->region == "us-east-1");
    auto regional = local::parse_management_credentials("AKID:secret:eu-west-1");
    REQUIRE(regional);
    CHECK(regional->region == "eu-west-1");
    CHECK_FALSE(local::parse_management_credentials("AKID"));
    CHECK_FALSE(local::parse_management_credentials(":secret"));
    CHECK_FALSE(local::parse_management_credentials("a:b:c:d"));
  }
}
