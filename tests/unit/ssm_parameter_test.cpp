// Reading the TURN secret from SSM Parameter Store: GetParameter's request as AWS's JSON 1.1
// protocol wants it, its answers (the value, or a reason a program can switch on and a person can
// act on, never holding the value), the retries, and the endpoint.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fake_aws_transport.hpp"
#include "sigv4_request_signer.hpp"
#include "ssm_parameter.hpp"

namespace {

using namespace videochat;
using aws::ssm::ParameterError;
using aws::ssm::ParameterFailure;
using aws::ssm::ParameterResult;

aws::http::Response answer(int status, const nlohmann::json& body,
                           std::vector<aws::http::Header> headers = {}) {
  return {status, std::move(headers), body.dump()};
}

nlohmann::json parameter(const std::string& type, const std::string& value) {
  return {{"Parameter",
           {{"ARN", "arn:aws:ssm:eu-west-1:123456789012:parameter/videochat/turn-secret"},
            {"DataType", "text"},
            {"LastModifiedDate", 1.7e9},
            {"Name", "/videochat/turn-secret"},
            {"Type", type},
            {"Value", value},
            {"Version", 3}}}};
}

ParameterFailure failure_of(const ParameterResult& result) {
  REQUIRE(std::holds_alternative<ParameterFailure>(result));
  return std::get<ParameterFailure>(result);
}

const std::string kSecret = "c2VjcmV0LWZvci10aGUtcmVsYXk=";

}  // namespace

TEST_SUITE("SSM GetParameter") {
  TEST_CASE("the request: POST / in JSON 1.1 with the target, the name and decryption") {
    auto request = aws::ssm::get_parameter_request("https://ssm.eu-west-1.amazonaws.com",
                                                   "/videochat/turn-secret");
    CHECK(request.method == "POST");
    CHECK(request.url == "https://ssm.eu-west-1.amazonaws.com/");
    CHECK(aws::http::header_value(request.headers, "X-Amz-Target") == "AmazonSSM.GetParameter");
    CHECK(aws::http::header_value(request.headers, "Content-Type") == "application/x-amz-json-1.1");
    CHECK(nlohmann::json::parse(request.body) ==
          nlohmann::json{{"Name", "/videochat/turn-secret"}, {"WithDecryption", true}});
  }

  TEST_CASE("a SecureString's value is the secret; one final newline is not part of it") {
    CHECK(std::get<std::string>(aws::ssm::parse_get_parameter_response(
              answer(200, parameter("SecureString", kSecret)))) == kSecret);
    CHECK(std::get<std::string>(aws::ssm::parse_get_parameter_response(
              answer(200, parameter("SecureString", kSecret + "\n")))) == kSecret);
  }

  TEST_CASE("ParameterNotFound says so and how to create it") {
    auto failure = failure_of(aws::ssm::parse_get_parameter_response(
        answer(400, {{"__type", "ParameterNotFound"}, {"message", ""}})));
    CHECK(failure.code == ParameterError::NotFound);
    CHECK(failure.message.find("ParameterNotFound") != std::string::npos);
    CHECK(failure.message.find("put-parameter --type SecureString") != std::string::npos);
    CHECK_FALSE(failure.retryable);
  }

  TEST_CASE("AccessDeniedException (IAM or the key) gives AWS's words and what the role needs") {
    auto failure = failure_of(aws::ssm::parse_get_parameter_response(
        answer(400, {{"__type", "com.amazonaws.ssm#AccessDeniedException"},
                     {"Message",
                      "User: arn:aws:sts::1:assumed-role/fn is not authorized to perform: "
                      "ssm:GetParameter"}})));
    CHECK(failure.code == ParameterError::AccessDenied);
    CHECK(failure.message.find("not authorized to perform: ssm:GetParameter") != std::string::npos);
    CHECK(failure.message.find("kms:Decrypt") != std::string::npos);
    CHECK_FALSE(failure.retryable);
  }

  TEST_CASE("a String or StringList is refused: its value is stored in plain text") {
    for (const char* type : {"String", "StringList"}) {
      auto failure =
          failure_of(aws::ssm::parse_get_parameter_response(answer(200, parameter(type, kSecret))));
      CHECK(failure.code == ParameterError::NotSecureString);
      CHECK(failure.message.find(std::string("a ") + type + ", not a SecureString") !=
            std::string::npos);
      CHECK(failure.message.find(kSecret) == std::string::npos);
    }
  }

  TEST_CASE("an empty value (or only a newline) is refused") {
    for (const char* value : {"", "\n"}) {
      CHECK(failure_of(aws::ssm::parse_get_parameter_response(
                           answer(200, parameter("SecureString", value))))
                .code == ParameterError::Empty);
    }
  }

  TEST_CASE("a success that is not GetParameter's answer is refused without repeating it") {
    for (const std::string& body : {std::string("not json " + kSecret),
                                    std::string(R"({"Parameter":{"Value":")") + kSecret + R"("}})",
                                    std::string(R"({"Value":")") + kSecret + R"("})"}) {
      auto failure = failure_of(aws::ssm::parse_get_parameter_response({200, {}, body}));
      CHECK(failure.code == ParameterError::BadAnswer);
      CHECK(failure.message.find(kSecret) == std::string::npos);
    }
  }

  TEST_CASE("throttling and 5xx are retryable; other errors are not") {
    auto throttled = failure_of(aws::ssm::parse_get_parameter_response(
        answer(400, {{"__type", "ThrottlingException"}, {"message", "Rate exceeded"}})));
    CHECK(throttled.code == ParameterError::Throttled);
    CHECK(throttled.retryable);
    auto internal = failure_of(
        aws::ssm::parse_get_parameter_response(answer(500, {{"__type", "InternalServerError"}})));
    CHECK(internal.code == ParameterError::ServiceError);
    CHECK(internal.retryable);
    auto key = failure_of(aws::ssm::parse_get_parameter_response(
        answer(400, {{"__type", "InvalidKeyId"}, {"message", "key disabled"}})));
    CHECK(key.code == ParameterError::ServiceError);
    CHECK(key.message.find("InvalidKeyId: key disabled") != std::string::npos);
    CHECK_FALSE(key.retryable);
    // The type in the header alone, as some front ends answer.
    auto header_only = failure_of(aws::ssm::parse_get_parameter_response(
        {403, {{"x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/"}}, ""}));
    CHECK(header_only.code == ParameterError::AccessDenied);
  }

  TEST_CASE("the endpoint: the configured URL, else ssm.{region}.amazonaws.com") {
    CHECK(aws::ssm::ssm_endpoint(std::nullopt, "eu-west-1") ==
          "https://ssm.eu-west-1.amazonaws.com");
    CHECK(aws::ssm::ssm_endpoint(std::string("http://127.0.0.1:9001/"), "eu-west-1") ==
          "http://127.0.0.1:9001");
    CHECK_THROWS_AS(aws::ssm::ssm_endpoint(std::string("127.0.0.1:9001"), "eu-west-1"),
                    std::invalid_argument);
  }
}

TEST_SUITE("SSM read_secure_string") {
  aws::SigV4RequestSigner signer() {
    return aws::SigV4RequestSigner(aws::Credentials{"AKIDFUNCTION", "role-secret", "token"},
                                   "eu-west-1", "ssm");
  }

  TEST_CASE("one signed GetParameter for service ssm, and the value") {
    test::ScriptedTransport transport;
    transport.answer_ok(parameter("SecureString", kSecret));
    auto signing = signer();
    aws::ssm::ReadOptions options;
    auto result = aws::ssm::read_secure_string(transport, signing, "http://127.0.0.1:9001",
                                               "/videochat/turn-secret", options);
    CHECK(std::get<std::string>(result) == kSecret);
    REQUIRE(transport.requests.size() == 1);
    const auto& sent = transport.requests[0];
    CHECK(sent.url == "http://127.0.0.1:9001/");
    const std::string authorization(aws::http::header_value(sent.headers, "Authorization"));
    CHECK(authorization.find("/eu-west-1/ssm/aws4_request") != std::string::npos);
    CHECK(aws::http::header_value(sent.headers, "X-Amz-Security-Token") == "token");
    CHECK(transport.timeouts[0] == options.attempt_timeout);
  }

  TEST_CASE("a throttled or unanswered attempt is tried again after a pause; a refusal is not") {
    test::ScriptedTransport transport;
    transport.answer_error(400, "ThrottlingException", "Rate exceeded");
    transport.fail(true, "timed out");
    transport.answer_ok(parameter("SecureString", kSecret));
    auto signing = signer();
    std::vector<int> pauses;
    aws::ssm::ReadOptions options;
    options.pause = [&](int failures) { pauses.push_back(failures); };
    CHECK(std::get<std::string>(aws::ssm::read_secure_string(
              transport, signing, "http://x", "/videochat/turn-secret", options)) == kSecret);
    CHECK(pauses == std::vector<int>{1, 2});

    test::ScriptedTransport refusing;
    refusing.answer(400, {{"__type", "ParameterNotFound"}});
    CHECK(failure_of(aws::ssm::read_secure_string(refusing, signing, "http://x",
                                                  "/videochat/turn-secret", options))
              .code == ParameterError::NotFound);
    CHECK(refusing.requests.size() == 1);
  }

  TEST_CASE("after the last attempt, the last reason, with the count") {
    test::ScriptedTransport transport;
    for (int i = 0; i < 3; ++i) transport.fail(false, "Connection refused");
    auto signing = signer();
    aws::ssm::ReadOptions options;
    auto failure = failure_of(aws::ssm::read_secure_string(transport, signing, "http://x",
                                                           "/videochat/turn-secret", options));
    CHECK(failure.code == ParameterError::Unreachable);
    CHECK(failure.message == "no answer from SSM (Connection refused) (3 attempts)");
  }
}
