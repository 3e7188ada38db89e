#include "lambda_mode.hpp"

#include "lambda_ids.hpp"
#include "local_ssm.hpp"

namespace videochat::local::lambda {

namespace {
// template.yaml's function, as far as the processes can tell.
constexpr const char* kFunctionName = "videochat-signaling";
constexpr unsigned kMemoryMb = 256;
}  // namespace

std::variant<FunctionConfig, std::string> function_config(const Options& options,
                                                          const aws::Environment& environment) {
  aws::DynamoDbConfig dynamodb;
  try {
    dynamodb = aws::dynamodb_config_from(environment, [](const std::string&) { return false; });
  } catch (const aws::ConfigError& error) {
    return std::string("--lambda: ") + error.what();
  }
  FunctionConfig config;
  config.function_name = kFunctionName;
  config.memory_mb = kMemoryMb;
  config.table = dynamodb.table;
  config.dynamodb_endpoint = dynamodb.endpoint;
  config.room_capacity = options.room_capacity;
  config.max_relay_bytes = options.max_relay_bytes;
  config.allowed_origins = options.allowed_origins;
  config.resume_token_lifetime_s = options.resume_token_lifetime.count();
  // The function's role credentials sign its @connections calls; when this management API checks
  // signatures, they must be its key (and region). dynalite takes any signed request.
  if (const auto& management = options.management_credentials) {
    config.region = management->region;
    config.access_key_id = management->access_key_id;
    config.secret_access_key = management->secret_access_key;
  } else {
    config.region = dynamodb.region;
    if (dynamodb.credentials) {
      config.access_key_id = dynamodb.credentials->access_key_id;
      config.secret_access_key = dynamodb.credentials->secret_access_key;
      config.session_token = dynamodb.credentials->session_token.value_or("");
    } else {
      config.access_key_id = "AKIDLOCALFUNCTION";
      config.secret_access_key = "local";
    }
  }
  // Every process of one run must share it (a token one process signs, another checks). A
  // configured secret (file or VIDEOCHAT_RESUME_SECRET) is text and goes as it is; the random
  // default is raw bytes, which an environment variable cannot carry, so the functions get
  // fresh random hex instead (tokens die with the run either way).
  config.resume_secret = options.resume_secret_is_random || options.resume_secret.empty()
                             ? random_hex(32)
                             : options.resume_secret;
  // The relay's secret (already read from --turn-secret-file) is served to the processes as the
  // SecureString they are told to read, never put in their environment.
  if (options.turn.enabled()) {
    config.turn_urls = options.turn.urls;
    config.turn_secret_parameter = std::string(kLocalTurnSecretParameter);
    config.turn_secret = options.turn.secret;
    config.turn_credential_lifetime_s = options.turn.lifetime.count();
  }
  return config;
}

std::variant<LambdaMode, std::string> prepare_lambda_mode(const Options& options,
                                                          const aws::Environment& environment) {
  auto config = function_config(options, environment);
  if (auto* error = std::get_if<std::string>(&config)) return *error;
  auto unpacked = UnpackedFunction::unpack(options.lambda_zip);
  if (auto* error = std::get_if<std::string>(&unpacked)) return "--lambda: " + *error;
  FunctionConfig function = std::get<FunctionConfig>(std::move(config));
  UnpackedFunction folder = std::get<UnpackedFunction>(std::move(unpacked));
  function.task_root = folder.path();
  SchedulerConfig scheduler;
  scheduler.max_processes = options.lambda_max_processes;
  scheduler.timeout = options.lambda_timeout;
  return LambdaMode{std::move(folder), std::move(function), scheduler};
}

}  // namespace videochat::local::lambda
