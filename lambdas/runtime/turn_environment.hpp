// The Lambda function's TURN relay, as template.yaml configures it: the relay's URLs, the name of
// the SSM SecureString that holds the secret it shares with the relay, and the credentials'
// lifetime. Read from the environment and validated here; the secret itself is read from SSM at
// init (lambda_main.cpp), never from the environment.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace videochat::runtime {

struct TurnSettings {
  std::vector<std::string> urls;
  std::string secret_parameter;  // "/videochat/turn-secret"
  std::chrono::seconds lifetime;
};

using ReadVariable = std::function<std::optional<std::string>(std::string_view name)>;

// nullopt when neither VIDEOCHAT_TURN_URLS nor VIDEOCHAT_TURN_SECRET_PARAMETER is set (no relay;
// the lifetime alone changes nothing). Throws std::invalid_argument, naming the variable, for a
// bad URL, a bad lifetime, a bad parameter name, or one of the two without the other.
std::optional<TurnSettings> turn_settings_from(const ReadVariable& read);

// Why `name` cannot be an SSM parameter's name (letters, digits, _ . - and /, at most 2048), or
// an empty string.
std::string parameter_name_problem(std::string_view name);

}  // namespace videochat::runtime
