// videochat-local --lambda's pure parts: which zip entries are refused, the Runtime API's routes,
// what API Gateway makes of the function's answer, and the environment a function process gets.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "lambda/function_environment.hpp"
#include "lambda/function_zip.hpp"
#include "lambda/lambda_mode.hpp"
#include "lambda/proxy_response.hpp"
#include "lambda/runtime_api_routes.hpp"
#include "options.hpp"

namespace {

using namespace videochat::local::lambda;
using videochat::local::Options;

std::map<std::string, std::string> as_map(const std::vector<std::string>& environment) {
  std::map<std::string, std::string> out;
  for (const auto& entry : environment) {
    auto equals = entry.find('=');
    REQUIRE(equals != std::string::npos);
    out[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  return out;
}

// An emulator environment as a test scripts it.
videochat::aws::Environment environment(std::map<std::string, std::string> variables) {
  return [variables](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

const std::map<std::string, std::string> kDynalite = {
    {"AWS_REGION", "us-east-1"},
    {"VIDEOCHAT_TABLE", "videochat"},
    {"AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567"},
    {"AWS_ACCESS_KEY_ID", "AKIDDYNALITE"},
    {"AWS_SECRET_ACCESS_KEY", "dynalite-secret"},
};

}  // namespace

TEST_SUITE("function zip entries") {
  TEST_CASE("plain relative paths are unpacked") {
    CHECK_FALSE(unsafe_entry_name("bootstrap").has_value());
    CHECK_FALSE(unsafe_entry_name("lib/ld-linux-x86-64.so.2").has_value());
    CHECK_FALSE(unsafe_entry_name("bin/").has_value());
    CHECK_FALSE(unsafe_entry_name("a..b/c..").has_value());
  }
  TEST_CASE("absolute paths are refused") {
    CHECK(unsafe_entry_name("/etc/passwd") == "absolute path");
  }
  TEST_CASE("a '..' component anywhere is refused") {
    CHECK(unsafe_entry_name("..") == "'..' in the path");
    CHECK(unsafe_entry_name("../bootstrap") == "'..' in the path");
    CHECK(unsafe_entry_name("lib/../../x") == "'..' in the path");
    CHECK(unsafe_entry_name("lib/..") == "'..' in the path");
  }
  TEST_CASE("backslashes and empty names are refused") {
    CHECK(unsafe_entry_name("..\\x").has_value());
    CHECK(unsafe_entry_name("").has_value());
  }
}

TEST_SUITE("Runtime API routes") {
  TEST_CASE("the four requests a runtime makes") {
    CHECK(std::holds_alternative<NextInvocationRequest>(
        parse_runtime_request("GET", "/2018-06-01/runtime/invocation/next")));
    auto response = parse_runtime_request("POST", "/2018-06-01/runtime/invocation/abc-1/response");
    REQUIRE(std::holds_alternative<InvocationResponse>(response));
    CHECK(std::get<InvocationResponse>(response).request_id == "abc-1");
    auto error = parse_runtime_request("POST", "/2018-06-01/runtime/invocation/abc-2/error");
    REQUIRE(std::holds_alternative<InvocationError>(error));
    CHECK(std::get<InvocationError>(error).request_id == "abc-2");
    CHECK(std::holds_alternative<InitError>(
        parse_runtime_request("POST", "/2018-06-01/runtime/init/error")));
  }
  TEST_CASE("a wrong method is 405, an unknown path 404") {
    auto post_next = parse_runtime_request("POST", "/2018-06-01/runtime/invocation/next");
    REQUIRE(std::holds_alternative<BadRuntimeRequest>(post_next));
    CHECK(std::get<BadRuntimeRequest>(post_next).status == 405);
    auto get_answer = parse_runtime_request("GET", "/2018-06-01/runtime/invocation/x/response");
    CHECK(std::get<BadRuntimeRequest>(get_answer).status == 405);
    for (const char* path : {"/", "/2018-06-01/runtime/invocation//response",
                             "/2018-06-01/runtime/invocation/x/other", "/2020-01-01/extension"}) {
      auto parsed = parse_runtime_request("POST", path);
      REQUIRE_MESSAGE(std::holds_alternative<BadRuntimeRequest>(parsed), path);
      CHECK(std::get<BadRuntimeRequest>(parsed).status == 404);
    }
  }
  TEST_CASE("a function error is described by its type and message") {
    CHECK(describe_function_error(R"({"errorType":"HandlerError","errorMessage":"boom"})", "") ==
          "HandlerError: boom");
    CHECK(describe_function_error("not json", "Runtime.Crash") == "Runtime.Crash: not json");
    CHECK(describe_function_error("", "") == "Unhandled");
  }
}

TEST_SUITE("proxy responses") {
  TEST_CASE("a status code and an optional body") {
    auto ok = parse_proxy_response(R"({"statusCode":200})");
    REQUIRE(ok.has_value());
    CHECK(ok->status_code == 200);
    CHECK_FALSE(ok->body.has_value());
    auto refused = parse_proxy_response(R"({"statusCode":403,"body":"origin not allowed"})");
    REQUIRE(refused.has_value());
    CHECK(refused->status_code == 403);
    CHECK(refused->body == "origin not allowed");
  }
  TEST_CASE("anything else is an integration failure") {
    for (const char* body : {"", "null", "[]", R"({"body":"x"})", R"({"statusCode":"200"})",
                             R"({"statusCode":42})", R"({"statusCode":200,"body":{}})"}) {
      CHECK_MESSAGE(!parse_proxy_response(body).has_value(), body);
    }
  }
  TEST_CASE("the sender of a failed message gets API Gateway's frame") {
    CHECK(
        integration_failure_frame("L0SM9cOFvHcCIhw=", "PvLwnLxJUkkBAAAA") ==
        R"({"message":"Internal server error","connectionId":"L0SM9cOFvHcCIhw=","requestId":"PvLwnLxJUkkBAAAA"})");
  }
}

TEST_SUITE("function environment") {
  TEST_CASE("Lambda's variables and the function's own, nothing else") {
    FunctionConfig config;
    config.task_root = "/tmp/videochat-lambda-x";
    config.function_name = "videochat-signaling";
    config.region = "eu-west-1";
    config.access_key_id = "AKID";
    config.secret_access_key = "secret";
    config.table = "rooms";
    config.dynamodb_endpoint = "http://127.0.0.1:4567";
    config.room_capacity = 3;
    config.max_relay_bytes = 16;
    config.allowed_origins = {"https://a.example", "https://b.example"};
    config.resume_secret = "0123abcd";
    config.resume_token_lifetime_s = 90;
    auto env = as_map(function_environment(config, "127.0.0.1:9001"));
    CHECK(env["AWS_LAMBDA_RUNTIME_API"] == "127.0.0.1:9001");
    CHECK(env["LAMBDA_TASK_ROOT"] == "/tmp/videochat-lambda-x");
    CHECK(env["AWS_LAMBDA_FUNCTION_NAME"] == "videochat-signaling");
    CHECK(env["AWS_REGION"] == "eu-west-1");
    CHECK(env["AWS_ACCESS_KEY_ID"] == "AKID");
    CHECK(env["AWS_SECRET_ACCESS_KEY"] == "secret");
    CHECK(env.count("AWS_SESSION_TOKEN") == 0);
    CHECK(env["TZ"] == ":UTC");
    CHECK(env["LANG"] == "en_US.UTF-8");
    CHECK(env.count("PATH") == 1);
    CHECK(env["VIDEOCHAT_TABLE"] == "rooms");
    CHECK(env["AWS_ENDPOINT_URL_DYNAMODB"] == "http://127.0.0.1:4567");
    CHECK(env["VIDEOCHAT_ROOM_CAPACITY"] == "3");
    CHECK(env["VIDEOCHAT_MAX_RELAY_BYTES"] == "16");
    CHECK(env["VIDEOCHAT_ALLOWED_ORIGINS"] == "https://a.example,https://b.example");
    CHECK(env["RESUME_SECRET"] == "0123abcd");
    CHECK(env["VIDEOCHAT_RESUME_TOKEN_LIFETIME"] == "90");
    // Nothing of the emulator's own environment leaks in.
    CHECK(env.count("HOME") == 0);
    CHECK(env.count("VIDEOCHAT_RESUME_SECRET") == 0);
  }

  TEST_CASE("with --management-credentials the function signs @connections with that key") {
    // As the command line sets them. (Assigning the optional here made GCC 12 warn of an
    // uninitialized string that is not: its known false positive with std::optional.)
    auto parsed = videochat::local::parse_options(
        {"--management-credentials", "AKIDLOCAL:s3cret:eu-central-1"}, {}, "site");
    REQUIRE(std::holds_alternative<Options>(parsed));
    const Options options = std::get<Options>(parsed);
    auto config = function_config(options, environment(kDynalite));
    REQUIRE(std::holds_alternative<FunctionConfig>(config));
    const auto& function = std::get<FunctionConfig>(config);
    CHECK(function.access_key_id == "AKIDLOCAL");
    CHECK(function.secret_access_key == "s3cret");
    CHECK(function.region == "eu-central-1");
    CHECK(function.dynamodb_endpoint == "http://127.0.0.1:4567");
    CHECK(function.table == "videochat");
  }

  TEST_CASE("without them it gets the emulator's AWS credentials, as its role's") {
    Options options;
    options.room_capacity = 4;
    auto function = std::get<FunctionConfig>(function_config(options, environment(kDynalite)));
    CHECK(function.access_key_id == "AKIDDYNALITE");
    CHECK(function.region == "us-east-1");
    CHECK(function.room_capacity == 4);
  }

  TEST_CASE("RESUME_SECRET is the configured secret, else random hex made fresh per run") {
    // Options carry the secret main() loaded from --resume-secret-file or VIDEOCHAT_RESUME_SECRET.
    Options configured;
    configured.resume_secret = std::string(32, 's');
    CHECK(std::get<FunctionConfig>(function_config(configured, environment(kDynalite)))
              .resume_secret == std::string(32, 's'));
    // The random default is raw bytes (possibly NUL), which an environment cannot carry.
    Options random;
    random.resume_secret = std::string("\0\x01", 2) + std::string(30, 'r');
    random.resume_secret_is_random = true;
    auto first = std::get<FunctionConfig>(function_config(random, environment(kDynalite)));
    auto second = std::get<FunctionConfig>(function_config(random, environment(kDynalite)));
    CHECK(first.resume_secret.size() == 64);
    CHECK(first.resume_secret.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(first.resume_secret != second.resume_secret);
  }

  TEST_CASE("a missing table is refused, naming the variable") {
    auto without = kDynalite;
    without.erase("VIDEOCHAT_TABLE");
    auto config = function_config(Options{}, environment(without));
    REQUIRE(std::holds_alternative<std::string>(config));
    CHECK(std::get<std::string>(config).find("VIDEOCHAT_TABLE") != std::string::npos);
  }
}
