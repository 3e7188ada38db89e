#include "dynamodb_config.hpp"

#include <cstdlib>
#include <filesystem>

namespace videochat::aws {

std::optional<std::string> find_ca_bundle(const FileExists& exists) {
  for (std::string_view candidate : kCaBundleCandidates) {
    std::string path(candidate);
    if (exists(path)) return path;
  }
  return std::nullopt;
}

DynamoDbConfig dynamodb_config_from(const Environment& environment, const FileExists& exists) {
  auto read = [&](std::string_view name) -> std::optional<std::string> {
    auto value = environment(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  };

  DynamoDbConfig config;
  auto region = read("AWS_REGION");
  if (!region) region = read("AWS_DEFAULT_REGION");
  if (!region) {
    throw ConfigError("AWS_REGION is not set: name the region of the DynamoDB table (eu-west-1)");
  }
  config.region = *region;

  auto table = read("VIDEOCHAT_TABLE");
  if (!table) throw ConfigError("VIDEOCHAT_TABLE is not set: name the DynamoDB table of rooms");
  config.table = *table;

  auto endpoint = read("AWS_ENDPOINT_URL_DYNAMODB");
  if (!endpoint) endpoint = read("AWS_ENDPOINT_URL");
  config.endpoint = endpoint ? *endpoint : "https://dynamodb." + config.region + ".amazonaws.com";
  while (config.endpoint.ends_with('/')) config.endpoint.pop_back();
  if (!config.endpoint.starts_with("http://") && !config.endpoint.starts_with("https://")) {
    throw ConfigError("the DynamoDB endpoint '" + config.endpoint +
                      "' must start with http:// or https://");
  }

  auto key_id = read("AWS_ACCESS_KEY_ID");
  auto secret = read("AWS_SECRET_ACCESS_KEY");
  if (key_id.has_value() != secret.has_value()) {
    throw ConfigError(
        std::string(key_id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + " is not set while " +
        (key_id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is: set both or neither");
  }
  if (key_id)
    config.credentials = AwsCredentialsConfig{*key_id, *secret, read("AWS_SESSION_TOKEN")};

  config.ca_bundle = find_ca_bundle(exists);
  return config;
}

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

FileExists file_system_exists() {
  return [](const std::string& path) {
    std::error_code ignored;
    return std::filesystem::is_regular_file(path, ignored);
  };
}

}  // namespace videochat::aws
