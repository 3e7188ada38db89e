#include "turn_environment.hpp"

#include <charconv>
#include <stdexcept>

#include "comma_list.hpp"
#include "turn_credentials.hpp"

namespace videochat::runtime {

std::string parameter_name_problem(std::string_view name) {
  if (name.empty()) return "an SSM parameter's name cannot be empty";
  if (name.size() > 2048) return "an SSM parameter's name is at most 2048 characters";
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '/';
    if (!allowed) {
      return "'" + std::string(name) +
             "' is not an SSM parameter's name (letters, digits, _ . - and / only)";
    }
  }
  return {};
}

std::optional<TurnSettings> turn_settings_from(const ReadVariable& read) {
  auto value = [&](std::string_view name) -> std::optional<std::string> {
    auto text = read(name);
    if (text && text->empty()) return std::nullopt;
    return text;
  };
  const std::string urls_name(lambdas::kTurnUrlsVariable);
  const std::string parameter_name(lambdas::kTurnSecretParameterVariable);
  const std::string lifetime_name(lambdas::kTurnCredentialLifetimeVariable);
  auto urls = value(urls_name);
  auto parameter = value(parameter_name);
  if (!urls && !parameter) return std::nullopt;
  if (!parameter) {
    throw std::invalid_argument(urls_name + " is set but " + parameter_name +
                                " is not: name the SSM SecureString parameter that holds the "
                                "relay's secret (template.yaml's TurnSecretParameter)");
  }
  if (!urls) {
    throw std::invalid_argument(parameter_name + " is set but " + urls_name +
                                " is not: give the relay's turn:/turns: URLs (template.yaml's "
                                "TurnUrls)");
  }
  TurnSettings settings;
  settings.urls = comma_list(*urls);
  if (settings.urls.empty()) throw std::invalid_argument(urls_name + " names no URL");
  for (const auto& url : settings.urls) {
    if (auto problem = lambdas::turn_url_problem(url); !problem.empty()) {
      throw std::invalid_argument(urls_name + ": " + problem);
    }
  }
  if (auto problem = parameter_name_problem(*parameter); !problem.empty()) {
    throw std::invalid_argument(parameter_name + ": " + problem);
  }
  settings.secret_parameter = *parameter;
  settings.lifetime = lambdas::kDefaultTurnCredentialLifetime;
  if (auto lifetime = value(lifetime_name)) {
    long long seconds = 0;
    auto [end, error] =
        std::from_chars(lifetime->data(), lifetime->data() + lifetime->size(), seconds);
    if (error != std::errc() || end != lifetime->data() + lifetime->size() || seconds < 1 ||
        seconds > lambdas::kMaxTurnCredentialLifetime.count()) {
      throw std::invalid_argument(lifetime_name + " must be a whole number of seconds from 1 to " +
                                  std::to_string(lambdas::kMaxTurnCredentialLifetime.count()) +
                                  ", not '" + *lifetime + "'");
    }
    settings.lifetime = std::chrono::seconds(seconds);
  }
  return settings;
}

}  // namespace videochat::runtime
