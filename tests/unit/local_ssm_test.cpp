// videochat-local --lambda's stand-in for SSM: the TURN secret goes to a GetParameter signed for
// service ssm with the function's credentials, and the function is told where to ask (its own
// Runtime API port) and what; the secret itself is never in its environment.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "lambda/function_environment.hpp"
#include "lambda/lambda_mode.hpp"
#include "lambda/local_ssm.hpp"
#include "sigv4.hpp"

namespace {

using namespace videochat;
using local::ReceivedRequest;
using local::lambda::LocalParameter;

const local::ManagementCredentials kFunction{"AKIDFUNCTION", "role-secret", "us-east-1"};
const auto kNow = std::chrono::system_clock::from_time_t(1764090000);
const LocalParameter kParameter{"/videochat-local/turn-secret", "relay-secret"};

// GetParameter as the function sends it: our SigV4 signer, service ssm.
ReceivedRequest get_parameter(const nlohmann::json& body,
                              const std::string& target = "AmazonSSM.GetParameter",
                              const std::string& service = "ssm",
                              const std::string& secret = "role-secret") {
  aws::HttpRequest request;
  request.method = "POST";
  request.host = "127.0.0.1:9001";
  request.path = "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", target}};
  request.body = body.dump();
  aws::SigningParams params{
      {"AKIDFUNCTION", secret, std::nullopt}, "us-east-1", service, aws::AmzDate::from(kNow)};
  aws::Signature signature = aws::sign(request, params);
  ReceivedRequest received{"POST", "/", "", {{"Host", request.host}}, request.body};
  for (const auto& header : request.headers) received.headers.push_back(header);
  for (const auto& header : signature.headers) received.headers.push_back(header);
  return received;
}

const nlohmann::json kAsk = {{"Name", "/videochat-local/turn-secret"}, {"WithDecryption", true}};

std::string error_type(const local::lambda::SsmAnswer& answer) {
  return nlohmann::json::parse(answer.body).value("__type", "");
}

}  // namespace

TEST_SUITE("Lambda mode's SSM stand-in") {
  TEST_CASE("only POST / with an AmazonSSM target is SSM's; the Runtime API keeps the rest") {
    CHECK(local::lambda::is_ssm_request("POST", "/", "AmazonSSM.GetParameter"));
    CHECK_FALSE(local::lambda::is_ssm_request("POST", "/", ""));
    CHECK_FALSE(local::lambda::is_ssm_request("GET", "/", "AmazonSSM.GetParameter"));
    CHECK_FALSE(local::lambda::is_ssm_request("POST", "/2018-06-01/runtime/init/error",
                                              "AmazonSSM.GetParameter"));
  }

  TEST_CASE("a signed GetParameter with decryption gets the SecureString") {
    auto answer =
        local::lambda::answer_ssm_request(get_parameter(kAsk), kParameter, kFunction, kNow);
    CHECK(answer.status == 200);
    auto parameter = nlohmann::json::parse(answer.body)["Parameter"];
    CHECK(parameter["Name"] == "/videochat-local/turn-secret");
    CHECK(parameter["Type"] == "SecureString");
    CHECK(parameter["Value"] == "relay-secret");
  }

  TEST_CASE("another name, or no relay configured, is ParameterNotFound") {
    auto other = local::lambda::answer_ssm_request(
        get_parameter({{"Name", "/other"}, {"WithDecryption", true}}), kParameter, kFunction, kNow);
    CHECK(other.status == 400);
    CHECK(error_type(other) == "ParameterNotFound");
    CHECK(error_type(local::lambda::answer_ssm_request(get_parameter(kAsk), std::nullopt, kFunction,
                                                       kNow)) == "ParameterNotFound");
  }

  TEST_CASE("a request not signed for ssm with the function's key gets nothing") {
    auto wrong_service = local::lambda::answer_ssm_request(
        get_parameter(kAsk, "AmazonSSM.GetParameter", "execute-api"), kParameter, kFunction, kNow);
    CHECK(error_type(wrong_service) == "InvalidSignatureException");
    CHECK(wrong_service.body.find("relay-secret") == std::string::npos);
    auto wrong_key = local::lambda::answer_ssm_request(
        get_parameter(kAsk, "AmazonSSM.GetParameter", "ssm", "guess"), kParameter, kFunction, kNow);
    CHECK(error_type(wrong_key) == "InvalidSignatureException");
    auto unsigned_request = get_parameter(kAsk);
    std::erase_if(unsigned_request.headers,
                  [](const aws::Header& header) { return header.name == "Authorization"; });
    CHECK(error_type(
              local::lambda::answer_ssm_request(unsigned_request, kParameter, kFunction, kNow)) ==
          "MissingAuthenticationTokenException");
  }

  TEST_CASE("other operations, a body without a Name, or no decryption are refused") {
    CHECK(error_type(local::lambda::answer_ssm_request(
              get_parameter(kAsk, "AmazonSSM.PutParameter"), kParameter, kFunction, kNow)) ==
          "UnknownOperationException");
    CHECK(error_type(local::lambda::answer_ssm_request(get_parameter({{"name", "x"}}), kParameter,
                                                       kFunction, kNow)) == "ValidationException");
    auto encrypted = local::lambda::answer_ssm_request(
        get_parameter({{"Name", "/videochat-local/turn-secret"}}), kParameter, kFunction, kNow);
    CHECK(error_type(encrypted) == "ValidationException");
    CHECK(encrypted.body.find("relay-secret") == std::string::npos);
  }
}

TEST_SUITE("function environment: TURN") {
  TEST_CASE(
      "with a relay, the function is told the URLs, the parameter, the lifetime and SSM's "
      "endpoint (its Runtime API port), never the secret") {
    videochat::local::Options options;
    options.turn.urls = {"turn:relay.example.org:3478?transport=udp",
                         "turns:relay.example.org:443"};
    options.turn.secret = "relay-secret";
    options.turn.lifetime = std::chrono::seconds(600);
    auto table = [](std::string_view name) -> std::optional<std::string> {
      if (name == "AWS_REGION") return "us-east-1";
      if (name == "VIDEOCHAT_TABLE") return "videochat";
      return std::nullopt;
    };
    auto config =
        std::get<local::lambda::FunctionConfig>(local::lambda::function_config(options, table));
    CHECK(config.turn_secret == "relay-secret");
    CHECK(config.turn_secret_parameter == "/videochat-local/turn-secret");
    std::map<std::string, std::string> env;
    for (const auto& entry : local::lambda::function_environment(config, "127.0.0.1:9001")) {
      env[entry.substr(0, entry.find('='))] = entry.substr(entry.find('=') + 1);
      CHECK(entry.find("relay-secret") == std::string::npos);
    }
    CHECK(env["VIDEOCHAT_TURN_URLS"] ==
          "turn:relay.example.org:3478?transport=udp,turns:relay.example.org:443");
    CHECK(env["VIDEOCHAT_TURN_SECRET_PARAMETER"] == "/videochat-local/turn-secret");
    CHECK(env["VIDEOCHAT_TURN_CREDENTIAL_LIFETIME"] == "600");
    CHECK(env["AWS_ENDPOINT_URL_SSM"] == "http://127.0.0.1:9001");
  }

  TEST_CASE("without one, none of that") {
    local::lambda::FunctionConfig config;
    for (const auto& entry : local::lambda::function_environment(config, "127.0.0.1:9001")) {
      CHECK(entry.find("TURN") == std::string::npos);
      CHECK(entry.find("SSM") == std::string::npos);
    }
  }
}
