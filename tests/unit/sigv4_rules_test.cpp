// The SigV4 rules the published suite leaves out, as our adapters meet them: API Gateway's
// '=' in connection ids, S3's single encoding, query encoding and order, the headers the signer
// adds, and the requests it refuses.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sigv4.hpp"

namespace {

using videochat::aws::AmzDate;
using videochat::aws::canonical_headers;
using videochat::aws::canonical_query_string;
using videochat::aws::canonical_uri;
using videochat::aws::Header;
using videochat::aws::HttpRequest;
using videochat::aws::PayloadHashHeader;
using videochat::aws::QueryParameter;
using videochat::aws::sign;
using videochat::aws::SigningError;
using videochat::aws::SigningErrorCode;
using videochat::aws::SigningParams;

const std::string kPostBody = R"({"type":"peers","peers":[]})";

// A PostToConnection call, as the @connections adapter will make it.
HttpRequest post_to_connection() {
  return HttpRequest{.method = "POST",
                     .host = "abc123.execute-api.eu-west-1.amazonaws.com",
                     .path = "/production/@connections/L0SM9cOFvHcCIhw%3D",
                     .query = {},
                     .headers = {{"Content-Type", "application/json"}},
                     .body = kPostBody};
}

SigningParams execute_api() {
  return SigningParams{
      .credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}},
      .region = "eu-west-1",
      .service = "execute-api",
      .time = *AmzDate::parse("20240102T030405Z")};
}

SigningErrorCode refusal(const HttpRequest& request, const SigningParams& params) {
  try {
    sign(request, params);
  } catch (const SigningError& error) {
    return error.code();
  }
  FAIL("signed a request that should have been refused");
  return {};
}

}  // namespace

TEST_SUITE("SigV4 canonical URI") {
  TEST_CASE("a connection id's encoded '=' is encoded again, and '@' with it") {
    CHECK(canonical_uri("/production/@connections/L0SM9cOFvHcCIhw%3D", "execute-api") ==
          "/production/%40connections/L0SM9cOFvHcCIhw%253D");
  }

  TEST_CASE("S3 signs the path exactly as sent: no normalizing, no second encoding") {
    CHECK(canonical_uri("/my-object//example//photo.user", "s3") ==
          "/my-object//example//photo.user");
    CHECK(canonical_uri("/bucket/key%3D", "s3") == "/bucket/key%3D");
  }

  TEST_CASE("other services normalize the path before encoding it") {
    CHECK(canonical_uri("/a/./b/../c//d%2F/", "dynamodb") == "/a/c/d%252F/");
  }
}

TEST_SUITE("SigV4 canonical query string") {
  TEST_CASE("names and values are percent-encoded: space as %20, '+' and '=' encoded") {
    const std::vector<QueryParameter> query{{"a b", "c+d"}, {"x", "/=&?"}};
    CHECK(canonical_query_string(query) == "a%20b=c%2Bd&x=%2F%3D%26%3F");
  }

  TEST_CASE("parameters sort by encoded name, byte by byte") {
    // "é" encodes to %C3%A9, and '%' sorts before every letter: the raw bytes would sort last.
    const std::vector<QueryParameter> query{{"b", "1"}, {"\xC3\xA9", "2"}, {"B", "3"}, {"_", "4"}};
    CHECK(canonical_query_string(query) == "%C3%A9=2&B=3&_=4&b=1");
  }

  TEST_CASE("a repeated name sorts by encoded value") {
    const std::vector<QueryParameter> query{{"k", "b"}, {"k", "a b"}, {"k", "A"}};
    CHECK(canonical_query_string(query) == "k=A&k=a%20b&k=b");
  }

  TEST_CASE("an empty value keeps its '='") {
    const std::vector<QueryParameter> query{{"flag", ""}};
    CHECK(canonical_query_string(query) == "flag=");
  }

  TEST_CASE("no parameters give an empty line") {
    CHECK(canonical_query_string({}) == "");
  }
}

TEST_SUITE("SigV4 canonical headers") {
  TEST_CASE("values are trimmed, inner runs of spaces and tabs made one space") {
    const std::vector<Header> headers{{"X-Test", " \t a \t  b  c\t "}};
    CHECK(canonical_headers(headers).lines == "x-test:a b c\n");
  }

  TEST_CASE("names are lower-cased and sorted; a repeated name's values join with ','") {
    const std::vector<Header> headers{
        {"X-B", "2"}, {"x-a", "1"}, {"X-b", "3"}, {"Content-Type", "text/plain"}};
    const auto canonical = canonical_headers(headers);
    CHECK(canonical.lines == "content-type:text/plain\nx-a:1\nx-b:2,3\n");
    CHECK(canonical.signed_headers == "content-type;x-a;x-b");
  }
}

TEST_SUITE("SigV4 signing") {
  TEST_CASE("a PostToConnection call signs its path encoded twice, its body hash and its headers") {
    const auto signature = sign(post_to_connection(), execute_api());
    CHECK(signature.canonical_request ==
          "POST\n"
          "/production/%40connections/L0SM9cOFvHcCIhw%253D\n"
          "\n"
          "content-type:application/json\n"
          "host:abc123.execute-api.eu-west-1.amazonaws.com\n"
          "x-amz-date:20240102T030405Z\n"
          "\n"
          "content-type;host;x-amz-date\n"
          "7f977cdf703f10e3db152f4b60e1a8d93f03deb971cfd6e605c5603cb8d31ac5");
    CHECK(signature.string_to_sign.starts_with(
        "AWS4-HMAC-SHA256\n20240102T030405Z\n20240102/eu-west-1/execute-api/aws4_request\n"));
  }

  TEST_CASE("the Authorization header names the key, the scope and the signed headers") {
    const auto signature = sign(post_to_connection(), execute_api());
    CHECK(signature.authorization ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-1/execute-api/aws4_request, "
          "SignedHeaders=content-type;host;x-amz-date, Signature=" +
              signature.signature);
    CHECK(signature.signature.size() == 64);
  }

  TEST_CASE("without a session token, only X-Amz-Date and Authorization are added") {
    const auto signature = sign(post_to_connection(), execute_api());
    REQUIRE(signature.headers.size() == 2);
    CHECK(signature.headers[0] == Header{"X-Amz-Date", "20240102T030405Z"});
    CHECK(signature.headers[1].name == "Authorization");
  }

  TEST_CASE("a session token is added as X-Amz-Security-Token, and signed") {
    auto params = execute_api();
    params.credentials.session_token = "IQoJb3JpZ2luX2VjEXAMPLE//token==";
    const auto signature = sign(post_to_connection(), params);
    CHECK(signature.headers[1] ==
          Header{"X-Amz-Security-Token", "IQoJb3JpZ2luX2VjEXAMPLE//token=="});
    CHECK(signature.signed_headers == "content-type;host;x-amz-date;x-amz-security-token");
    CHECK(signature.canonical_request.find(
              "\nx-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLE//token==\n") != std::string::npos);
  }

  TEST_CASE("x-amz-content-sha256 is added, and signed, only when asked") {
    CHECK(sign(post_to_connection(), execute_api()).signed_headers.find("x-amz-content-sha256") ==
          std::string::npos);
    auto params = execute_api();
    params.payload_hash_header = PayloadHashHeader::Add;
    const auto signature = sign(post_to_connection(), params);
    CHECK(signature.headers[1] ==
          Header{"X-Amz-Content-SHA256",
                 "7f977cdf703f10e3db152f4b60e1a8d93f03deb971cfd6e605c5603cb8d31ac5"});
    CHECK(signature.signed_headers == "content-type;host;x-amz-content-sha256;x-amz-date");
  }

  TEST_CASE("every input changes the signature") {
    const auto base = sign(post_to_connection(), execute_api()).signature;
    auto request = post_to_connection();
    request.body += " ";
    CHECK(sign(request, execute_api()).signature != base);
    request = post_to_connection();
    request.path = "/production/@connections/L0SM9cOFvHcCIhw%3E";
    CHECK(sign(request, execute_api()).signature != base);
    request = post_to_connection();
    request.query = {{"a", "b"}};
    CHECK(sign(request, execute_api()).signature != base);
    request = post_to_connection();
    request.headers[0].value = "application/json; charset=utf-8";
    CHECK(sign(request, execute_api()).signature != base);
    auto params = execute_api();
    params.region = "eu-west-2";
    CHECK(sign(post_to_connection(), params).signature != base);
    params = execute_api();
    params.service = "execute-apj";
    CHECK(sign(post_to_connection(), params).signature != base);
    params = execute_api();
    params.time = *AmzDate::parse("20240102T030406Z");
    CHECK(sign(post_to_connection(), params).signature != base);
    params = execute_api();
    params.credentials.secret_access_key.back() = 'Z';
    CHECK(sign(post_to_connection(), params).signature != base);
  }
}

TEST_SUITE("SigV4 refusals") {
  TEST_CASE("a header the signer sets itself is refused, whatever its case") {
    for (const char* name :
         {"Host", "x-amz-date", "X-Amz-Security-Token", "X-AMZ-CONTENT-SHA256", "authorization"}) {
      INFO(name);
      auto request = post_to_connection();
      request.headers.push_back({name, "x"});
      CHECK(refusal(request, execute_api()) == SigningErrorCode::ReservedHeader);
    }
  }

  TEST_CASE("a header name that is not an HTTP token is refused") {
    for (const char* name : {"", "My Header", "X-Test:", "X-Caf\xC3\xA9"}) {
      INFO(name);
      auto request = post_to_connection();
      request.headers.push_back({name, "x"});
      CHECK(refusal(request, execute_api()) == SigningErrorCode::InvalidHeaderName);
    }
  }

  TEST_CASE("a header value holding CR, LF or NUL is refused") {
    for (const std::string& value :
         std::vector<std::string>{"a\r\nX-Injected: 1", "a\n b", std::string("a\0b", 3)}) {
      auto request = post_to_connection();
      request.headers.push_back({"X-Test", value});
      CHECK(refusal(request, execute_api()) == SigningErrorCode::InvalidHeaderValue);
    }
  }

  TEST_CASE("a path that does not start with '/' is refused") {
    auto request = post_to_connection();
    request.path = "production/@connections/abc";
    CHECK(refusal(request, execute_api()) == SigningErrorCode::InvalidPath);
  }

  TEST_CASE("an empty method, host, credential, region or service is refused") {
    auto request = post_to_connection();
    request.method.clear();
    CHECK(refusal(request, execute_api()) == SigningErrorCode::MissingField);
    request = post_to_connection();
    request.host.clear();
    CHECK(refusal(request, execute_api()) == SigningErrorCode::MissingField);
    auto params = execute_api();
    params.credentials.access_key_id.clear();
    CHECK(refusal(post_to_connection(), params) == SigningErrorCode::MissingField);
    params = execute_api();
    params.credentials.secret_access_key.clear();
    CHECK(refusal(post_to_connection(), params) == SigningErrorCode::MissingField);
    params = execute_api();
    params.region.clear();
    CHECK(refusal(post_to_connection(), params) == SigningErrorCode::MissingField);
    params = execute_api();
    params.service.clear();
    CHECK(refusal(post_to_connection(), params) == SigningErrorCode::MissingField);
  }

  TEST_CASE("the refusal's message names what to fix") {
    auto request = post_to_connection();
    request.headers.push_back({"X-Amz-Date", "20240102T030405Z"});
    try {
      sign(request, execute_api());
      FAIL("signed a request with its own X-Amz-Date");
    } catch (const SigningError& error) {
      CHECK(std::string(error.what()) ==
            "header \"X-Amz-Date\" is set by the signer; leave it out");
    }
  }
}
