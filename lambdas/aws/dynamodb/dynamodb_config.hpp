// Where the DynamoDB room store finds its table, read once from the standard Lambda environment
// (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the SDKs' endpoint
// overrides (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL) and ours (VIDEOCHAT_TABLE).
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace videochat::aws {

struct AwsCredentialsConfig {
  std::string access_key_id;
  std::string secret_access_key;
  std::optional<std::string> session_token;
};

struct DynamoDbConfig {
  std::string region;
  std::string endpoint;  // base URL, no trailing slash
  std::string table;
  // Absent when the environment has none (a local server that ignores signatures).
  std::optional<AwsCredentialsConfig> credentials;
  // The CA bundle for TLS, named explicitly: a Lambda's image is not the build machine.
  std::optional<std::string> ca_bundle;
};

// A variable that is missing or unusable; the message names it and says what to set.
struct ConfigError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Reads one environment variable; nullopt when unset. Empty values count as unset.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
using FileExists = std::function<bool(const std::string& path)>;

// Amazon Linux's bundle first (the Lambda runtime), then Debian's.
inline constexpr std::string_view kCaBundleCandidates[] = {
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/certs/ca-certificates.crt",
};
std::optional<std::string> find_ca_bundle(const FileExists& exists);

// Throws ConfigError when AWS_REGION (or AWS_DEFAULT_REGION) or VIDEOCHAT_TABLE is missing, or
// when only one of the access key id and secret is set.
DynamoDbConfig dynamodb_config_from(const Environment& environment, const FileExists& exists);

// The process's own environment and file system.
Environment process_environment();
FileExists file_system_exists();

}  // namespace videochat::aws
