#include "function_environment.hpp"

#include <map>

namespace videochat::local::lambda {

std::vector<std::string> function_environment(const FunctionConfig& config,
                                              const std::string& runtime_api) {
  std::string origins;
  for (const auto& origin : config.allowed_origins) {
    if (!origins.empty()) origins += ',';
    origins += origin;
  }
  // Lambda's reserved variables (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
  std::map<std::string, std::string> variables = {
      {"AWS_LAMBDA_RUNTIME_API", runtime_api},
      {"LAMBDA_TASK_ROOT", config.task_root},
      {"LAMBDA_RUNTIME_DIR", config.task_root},
      {"_HANDLER", "bootstrap"},
      {"AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023"},
      {"AWS_LAMBDA_FUNCTION_NAME", config.function_name},
      {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
      {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(config.memory_mb)},
      {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + config.function_name},
      {"AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]videochat-local"},
      {"AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"},
      {"AWS_REGION", config.region},
      {"AWS_DEFAULT_REGION", config.region},
      {"AWS_ACCESS_KEY_ID", config.access_key_id},
      {"AWS_SECRET_ACCESS_KEY", config.secret_access_key},
      {"TZ", ":UTC"},
      {"LANG", "en_US.UTF-8"},
      {"PATH", "/usr/local/bin:/usr/bin/:/bin"},
      // Lambda's value names the host's folders; the function must (and does) not depend on it.
      {"LD_LIBRARY_PATH",
       "/lib64:/usr/lib64:" + config.task_root + ":" + config.task_root + "/lib"},
      {"VIDEOCHAT_TABLE", config.table},
      {"AWS_ENDPOINT_URL_DYNAMODB", config.dynamodb_endpoint},
      {"VIDEOCHAT_ROOM_CAPACITY", std::to_string(config.room_capacity)},
      {"VIDEOCHAT_MAX_RELAY_BYTES", std::to_string(config.max_relay_bytes)},
      {"RESUME_SECRET", config.resume_secret},
      {"VIDEOCHAT_RESUME_TOKEN_LIFETIME", std::to_string(config.resume_token_lifetime_s)},
  };
  if (!config.session_token.empty()) variables["AWS_SESSION_TOKEN"] = config.session_token;
  if (!origins.empty()) variables["VIDEOCHAT_ALLOWED_ORIGINS"] = origins;
  if (!config.turn_urls.empty()) {
    std::string urls;
    for (const auto& url : config.turn_urls) urls += (urls.empty() ? "" : ",") + url;
    variables["VIDEOCHAT_TURN_URLS"] = urls;
    variables["VIDEOCHAT_TURN_SECRET_PARAMETER"] = config.turn_secret_parameter;
    variables["VIDEOCHAT_TURN_CREDENTIAL_LIFETIME"] =
        std::to_string(config.turn_credential_lifetime_s);
    variables["AWS_ENDPOINT_URL_SSM"] = "http://" + runtime_api;
  }
  std::vector<std::string> out;
  out.reserve(variables.size());
  for (const auto& [name, value] : variables) out.push_back(name + "=" + value);
  return out;
}

}  // namespace videochat::local::lambda
