// The environment a function process starts with: what Lambda's provided.al2023 runtime sets
// (and nothing inherited from videochat-local's own environment), plus the function's variables
// as template.yaml configures them, pointed at the local stack.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace videochat::local::lambda {

struct FunctionConfig {
  std::string task_root;      // LAMBDA_TASK_ROOT: the unpacked zip
  std::string function_name;  // AWS_LAMBDA_FUNCTION_NAME
  unsigned memory_mb = 256;   // template.yaml: MemorySize
  std::string region;
  // The credentials Lambda hands the function's role: here, the management API's own (so the
  // function's SigV4 signatures verify) or placeholders when it checks none.
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  // The function's own variables.
  std::string table;                            // VIDEOCHAT_TABLE
  std::string dynamodb_endpoint;                // AWS_ENDPOINT_URL_DYNAMODB: dynalite, locally
  std::size_t room_capacity = 6;                // VIDEOCHAT_ROOM_CAPACITY
  std::size_t max_relay_bytes = 64 * 1024;      // VIDEOCHAT_MAX_RELAY_BYTES
  std::vector<std::string> allowed_origins;     // VIDEOCHAT_ALLOWED_ORIGINS
  std::string resume_secret;                    // RESUME_SECRET
  std::int64_t resume_token_lifetime_s = 7800;  // VIDEOCHAT_RESUME_TOKEN_LIFETIME
  // The TURN relay (empty urls: none): VIDEOCHAT_TURN_URLS, VIDEOCHAT_TURN_CREDENTIAL_LIFETIME
  // and VIDEOCHAT_TURN_SECRET_PARAMETER. The secret is not in the environment: the function
  // reads it with GetParameter from AWS_ENDPOINT_URL_SSM, its own Runtime API port, where
  // videochat-local answers with it (local_ssm.hpp).
  std::vector<std::string> turn_urls;
  std::string turn_secret_parameter;
  std::string turn_secret;
  std::int64_t turn_credential_lifetime_s = 7800;
};

// "NAME=value" strings for execve, for the process whose Runtime API is at `runtime_api`
// ("127.0.0.1:PORT").
std::vector<std::string> function_environment(const FunctionConfig& config,
                                              const std::string& runtime_api);

}  // namespace videochat::local::lambda
