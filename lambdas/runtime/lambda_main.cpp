// videochat-lambda: the signaling handlers as an AWS Lambda function on the provided.al2023 custom
// runtime. Everything expensive (the HTTP transport with its TLS set-up and its connection to
// DynamoDB, the store, the @connections client) is made once at init and reused by every
// invocation; a failure there is reported to init/error.
// With a TURN relay configured, init also reads the relay's secret from SSM Parameter Store, once
// per process: it is kept for the process's life and never logged.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "beast_transport.hpp"
#include "comma_list.hpp"
#include "dynamodb_backend.hpp"
#include "epoch_time.hpp"
#include "http_runtime_api.hpp"
#include "invocation_metrics.hpp"
#include "logger.hpp"
#include "management_api_client.hpp"
#include "request_signer.hpp"
#include "resume_token.hpp"
#include "route_handlers.hpp"
#include "runtime_loop.hpp"
#include "sigv4_request_signer.hpp"
#include "ssm_parameter.hpp"
#include "turn_environment.hpp"
#include "websocket_invocation.hpp"

namespace {

using namespace videochat;

// Opening DynamoDB's connection at init is worth a short wait, not Lambda's whole 10 s for init.
constexpr auto kPreconnectTimeout = std::chrono::milliseconds(2000);

std::optional<std::string> env(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

// Everything an invocation uses, built once per process.
struct Function {
  // Its HTTP transport carries the @connections and SSM calls too: one TLS set-up, one pool.
  std::unique_ptr<aws::DynamoDbBackend> store;
  std::unique_ptr<aws::RequestSigner> signer;
  std::unique_ptr<aws::ManagementApiClient> connections;
  lambdas::HandlerConfig config;
  runtime::InvocationMetering metering;
};

// A whole number from 1 to `max` in the variable `name`, or an init error that says what is wrong.
std::size_t positive_number(std::string_view name, const std::string& text, std::size_t max) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > max) {
    throw std::runtime_error(std::string(name) + " must be a whole number from 1 to " +
                             std::to_string(max) + ", not '" + text + "'");
  }
  return value;
}

// The relay's secret, read from the SecureString `name` through SSM (AWS_ENDPOINT_URL_SSM, as the
// AWS SDKs read it, points it elsewhere: videochat-local --lambda answers it itself). An init
// error names the parameter and the reason, never the value.
std::string read_turn_secret(const std::string& name, const aws::DynamoDbConfig& aws_config,
                             aws::http::Transport& transport) {
  const std::string what = std::string(lambdas::kTurnSecretParameterVariable) + " " + name + ": ";
  std::string endpoint;
  try {
    endpoint = aws::ssm::ssm_endpoint(
        env("AWS_ENDPOINT_URL_SSM") ? env("AWS_ENDPOINT_URL_SSM") : env("AWS_ENDPOINT_URL"),
        aws_config.region);
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(what + error.what());
  }
  if (!aws_config.credentials) {
    throw std::runtime_error(what +
                             "no AWS credentials to sign GetParameter with (AWS_ACCESS_KEY_ID "
                             "and AWS_SECRET_ACCESS_KEY, which Lambda sets from the role)");
  }
  aws::SigV4RequestSigner signer(aws::Credentials{aws_config.credentials->access_key_id,
                                                  aws_config.credentials->secret_access_key,
                                                  aws_config.credentials->session_token},
                                 aws_config.region, std::string(aws::ssm::kSigningService));
  aws::ssm::ReadOptions options;
  // Three attempts of 2 s at most, 0.1 and 0.2 s apart: well inside Lambda's 10 s for init.
  options.attempt_timeout = std::chrono::milliseconds(2000);
  options.pause = [](int failures) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100) * failures);
  };
  auto result = aws::ssm::read_secure_string(transport, signer, endpoint, name, options);
  if (auto* failure = std::get_if<aws::ssm::ParameterFailure>(&result)) {
    throw std::runtime_error(what + failure->message + " [" +
                             std::string(aws::ssm::to_string(failure->code)) + "]");
  }
  return std::get<std::string>(std::move(result));
}

// Milliseconds since `from`, to the tenth: the init line's figures.
double ms_since(std::chrono::steady_clock::time_point from) {
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
  return std::round(ms * 10) / 10;
}

aws::DynamoDbRoomStoreOptions store_options_from_environment() {
  aws::DynamoDbRoomStoreOptions options;
  if (auto capacity = env("VIDEOCHAT_ROOM_CAPACITY")) {
    options.room_capacity = positive_number("VIDEOCHAT_ROOM_CAPACITY", *capacity, 1000);
  }
  return options;
}

// The resume tokens' secret. Required: without it no joiner could resume, and a default would be
// a secret everyone knows.
std::string resume_secret_from_environment() {
  auto secret = env(lambdas::kResumeSecretVariable);
  if (!secret) {
    throw std::runtime_error(
        std::string(lambdas::kResumeSecretVariable) +
        " is not set: the function needs the resume tokens' secret (at least " +
        std::to_string(lambdas::kMinResumeSecretBytes) +
        " bytes; template.yaml passes the ResumeSecret parameter)");
  }
  if (secret->size() < lambdas::kMinResumeSecretBytes) {
    throw std::runtime_error(std::string(lambdas::kResumeSecretVariable) + " is " +
                             std::to_string(secret->size()) + " bytes; it must be at least " +
                             std::to_string(lambdas::kMinResumeSecretBytes));
  }
  return std::move(*secret);
}

// The handlers' limits and policies from the environment (the TURN relay apart: it needs SSM).
lambdas::HandlerConfig handler_config_from_environment() {
  lambdas::HandlerConfig config;
  // API Gateway's own limit on a message is 128 KiB; the relayed part cannot be larger.
  if (auto limit = env("VIDEOCHAT_MAX_RELAY_BYTES")) {
    config.max_message_bytes = positive_number("VIDEOCHAT_MAX_RELAY_BYTES", *limit, 128 * 1024);
  }
  if (auto lifetime = env("VIDEOCHAT_RESUME_TOKEN_LIFETIME")) {
    config.resume_token_lifetime = std::chrono::seconds(
        positive_number("VIDEOCHAT_RESUME_TOKEN_LIFETIME", *lifetime, 365 * 24 * 3600));
  }
  if (auto origins = env("VIDEOCHAT_ALLOWED_ORIGINS"))
    config.allowed_origins = comma_list(*origins);
  config.resume_secret = resume_secret_from_environment();
  return config;
}

// The signer of @connections calls: SigV4 for execute-api with the role's credentials, or none
// (a local endpoint that does not check).
std::unique_ptr<aws::RequestSigner> connections_signer(const aws::DynamoDbConfig& dynamodb) {
  if (!dynamodb.credentials) return std::make_unique<aws::UnsignedRequests>();
  auto signer = std::make_unique<aws::SigV4RequestSigner>(
      aws::Credentials{dynamodb.credentials->access_key_id, dynamodb.credentials->secret_access_key,
                       dynamodb.credentials->session_token},
      dynamodb.region, "execute-api");
  // One signature now: the signing code's first run (its pages, mbedTLS's first digest) belongs
  // to init rather than to the first invocation's first call.
  signer->sign({"POST", "https://" + dynamodb.region + ".example/", {}, "{}"});
  return signer;
}

// The TURN relay, when one is configured: its secret read from SSM now, the init line's "turn"
// field and how long the read took. A half-configured or malformed relay throws, naming the
// variable: an init error.
struct TurnSetUp {
  lambdas::TurnConfig config;
  nlohmann::json field = false;
  std::optional<double> secret_ms;
};

TurnSetUp set_turn_up(const aws::DynamoDbConfig& dynamodb, aws::http::Transport& transport) {
  TurnSetUp set_up;
  auto turn = runtime::turn_settings_from(env);
  if (!turn) return set_up;
  const auto reading = std::chrono::steady_clock::now();
  std::string secret = read_turn_secret(turn->secret_parameter, dynamodb, transport);
  set_up.secret_ms = ms_since(reading);
  set_up.config = lambdas::TurnConfig{turn->urls, std::move(secret), turn->lifetime};
  set_up.field = {{"urls", turn->urls},
                  {"secretParameter", turn->secret_parameter},
                  {"credentialLifetimeS", turn->lifetime.count()}};
  return set_up;
}

// Metrics (EMF, in each route line) under the operator's namespace, per function.
void set_metering_up(runtime::InvocationMetering& metering,
                     const metrics::MeteredTransport& store_transport) {
  if (auto name = env(metrics::kNamespaceVariable)) {
    if (auto problem = metrics::namespace_problem(*name)) {
      throw std::runtime_error(std::string(metrics::kNamespaceVariable) + ": " + *problem);
    }
    metering.settings.metric_namespace = *name;
  }
  metering.settings.function_name = env("AWS_LAMBDA_FUNCTION_NAME").value_or("videochat-lambda");
  metering.store_transport = &store_transport;
}

std::unique_ptr<Function> init(lambdas::Logger& log) {
  const auto started = std::chrono::steady_clock::now();
  auto exists = [](const std::string& path) {
    std::error_code ignored;
    return std::filesystem::exists(path, ignored);
  };
  aws::DynamoDbConfig dynamodb = aws::dynamodb_config_from(env, exists);
  const aws::DynamoDbRoomStoreOptions store_options = store_options_from_environment();
  auto function = std::make_unique<Function>();
  function->config = handler_config_from_environment();
  function->store = std::make_unique<aws::DynamoDbBackend>(dynamodb, store_options);
  function->signer = connections_signer(dynamodb);
  function->connections = std::make_unique<aws::ManagementApiClient>(
      function->store->http_transport(), *function->signer, std::string(),
      std::chrono::milliseconds(3000),
      [&log](const std::string& what, int status, const std::string& detail) {
        log.write(
            {{"event", "management_api"}, {"call", what}, {"status", status}, {"detail", detail}});
      });
  TurnSetUp turn = set_turn_up(dynamodb, function->store->http_transport());
  function->config.turn = std::move(turn.config);
  set_metering_up(function->metering, function->store->transport());

  // DynamoDB's connection (TCP and TLS) made now, so the first invocation finds it ready.
  const auto connecting = std::chrono::steady_clock::now();
  auto unconnected =
      function->store->http_transport().preconnect(dynamodb.endpoint, kPreconnectTimeout);
  const double connect_ms = ms_since(connecting);

  nlohmann::json line = {{"event", "init"},
                         {"table", dynamodb.table},
                         {"region", dynamodb.region},
                         {"roomCapacity", store_options.room_capacity},
                         {"turn", turn.field},
                         {"metricsNamespace", function->metering.settings.metric_namespace}};
  // How long the cold start waited for SSM (to the tenth of a millisecond).
  if (turn.secret_ms) line["turnSecretMs"] = *turn.secret_ms;
  line["storeConnectMs"] = connect_ms;
  line["initMs"] = ms_since(started);  // all of init, the connection included
  // Not fatal: every call connects by itself; the store's errors will say more if it persists.
  if (unconnected) line["storeConnectError"] = unconnected->message;
  log.write(line);
  return function;
}

}  // namespace

int main() {
  lambdas::StreamLogger log(std::cout);
  auto runtime_host = env("AWS_LAMBDA_RUNTIME_API");
  if (!runtime_host) {
    std::cerr << "videochat-lambda: AWS_LAMBDA_RUNTIME_API is not set: this program runs inside "
                 "AWS Lambda (or a local Runtime API)\n";
    return 2;
  }
  // Plain HTTP to the local Runtime API, made before init: an init failure is reported through it.
  aws::http::BeastTransport runtime_transport(aws::http::TransportOptions{.tls = false});
  runtime::HttpRuntimeApi api(runtime_transport, *runtime_host);

  std::unique_ptr<Function> function;
  try {
    function = init(log);
  } catch (const std::exception& error) {
    log.write({{"event", "init_failed"}, {"error", error.what()}});
    api.init_error("InitError", error.what());
    return 1;
  }
  lambdas::HandlerServices services{function->store->store(), *function->connections, log,
                                    function->config};
  runtime::LoopControl control;
  // 100 ms, doubling to 5 s: the Runtime API is local, so a failure is rare and brief.
  control.pause = [](int failures) {
    auto wait = std::chrono::milliseconds(100) * (1 << std::min(failures - 1, 6));
    std::this_thread::sleep_for(std::min(wait, std::chrono::milliseconds(5000)));
  };
  runtime::run_runtime_loop(
      api,
      [&](const runtime::Invocation& invocation) {
        // DynamoDB retries stop in time to answer: the invocation's deadline less a margin for
        // the answer itself (and the @connections posts, each bounded by its own timeout).
        if (invocation.deadline_ms > 0) {
          const auto now_ms = epoch_ms_now();
          const auto left = std::chrono::milliseconds(invocation.deadline_ms - now_ms - 1500);
          function->store->client().set_outer_deadline(std::chrono::steady_clock::now() + left);
        }
        return runtime::handle_websocket_invocation(invocation, services, *function->connections,
                                                    &function->metering);
      },
      log, control);
  return 0;
}
