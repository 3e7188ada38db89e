// The Lambda function's TURN settings from its environment (template.yaml's TurnUrls,
// TurnSecretParameter, TurnCredentialLifetime): nothing set is no relay; anything half set or
// malformed is an init error that names the variable.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "turn_environment.hpp"

namespace {

using videochat::runtime::turn_settings_from;

videochat::runtime::ReadVariable reading(std::map<std::string, std::string> variables) {
  return [variables](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_for(std::map<std::string, std::string> variables) {
  try {
    turn_settings_from(reading(std::move(variables)));
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "accepted";
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("Lambda TURN settings") {
  TEST_CASE("none set, or empty as template.yaml leaves them without a relay: no relay") {
    CHECK_FALSE(turn_settings_from(reading({})).has_value());
    CHECK_FALSE(turn_settings_from(reading({{"VIDEOCHAT_TURN_URLS", ""},
                                            {"VIDEOCHAT_TURN_SECRET_PARAMETER", ""},
                                            {"VIDEOCHAT_TURN_CREDENTIAL_LIFETIME", "7800"}}))
                    .has_value());
  }

  TEST_CASE("URLs (a comma list), the parameter's name and the lifetime") {
    auto settings = turn_settings_from(
        reading({{"VIDEOCHAT_TURN_URLS",
                  "turn:relay.example.org:3478?transport=udp, turns:relay.example.org:443"},
                 {"VIDEOCHAT_TURN_SECRET_PARAMETER", "/videochat/turn-secret"},
                 {"VIDEOCHAT_TURN_CREDENTIAL_LIFETIME", "600"}}));
    REQUIRE(settings);
    CHECK(settings->urls == std::vector<std::string>{"turn:relay.example.org:3478?transport=udp",
                                                     "turns:relay.example.org:443"});
    CHECK(settings->secret_parameter == "/videochat/turn-secret");
    CHECK(settings->lifetime == std::chrono::seconds(600));
  }

  TEST_CASE("the lifetime defaults to the local flag's") {
    auto settings = turn_settings_from(reading(
        {{"VIDEOCHAT_TURN_URLS", "turn:a"}, {"VIDEOCHAT_TURN_SECRET_PARAMETER", "turn-secret"}}));
    REQUIRE(settings);
    CHECK(settings->lifetime == std::chrono::seconds(7800));
  }

  TEST_CASE("one without the other is refused, naming what is missing") {
    CHECK(mentions(error_for({{"VIDEOCHAT_TURN_URLS", "turn:a"}}),
                   "VIDEOCHAT_TURN_SECRET_PARAMETER is not"));
    CHECK(mentions(error_for({{"VIDEOCHAT_TURN_SECRET_PARAMETER", "/p"}}),
                   "VIDEOCHAT_TURN_URLS is not"));
  }

  TEST_CASE("a bad URL, parameter name or lifetime is refused, naming the variable") {
    const std::map<std::string, std::string> good = {{"VIDEOCHAT_TURN_URLS", "turn:a"},
                                                     {"VIDEOCHAT_TURN_SECRET_PARAMETER", "/p"}};
    auto with = [&](const std::string& name, const std::string& value) {
      auto variables = good;
      variables[name] = value;
      return error_for(variables);
    };
    CHECK(with("VIDEOCHAT_TURN_URLS", "stun:a") ==
          "VIDEOCHAT_TURN_URLS: a TURN URL starts with turn: or turns:, not 'stun:a'");
    CHECK(mentions(with("VIDEOCHAT_TURN_URLS", " , "), "VIDEOCHAT_TURN_URLS names no URL"));
    CHECK(mentions(with("VIDEOCHAT_TURN_SECRET_PARAMETER", "/p q"),
                   "VIDEOCHAT_TURN_SECRET_PARAMETER: '/p q' is not an SSM parameter's name"));
    for (const char* lifetime : {"0", "-5", "12s", "7801"}) {
      CHECK(mentions(with("VIDEOCHAT_TURN_CREDENTIAL_LIFETIME", lifetime),
                     "VIDEOCHAT_TURN_CREDENTIAL_LIFETIME must be a whole number of seconds from 1 "
                     "to 7800"));
    }
    CHECK(with("VIDEOCHAT_TURN_CREDENTIAL_LIFETIME", "7800") == "accepted");
  }
}
