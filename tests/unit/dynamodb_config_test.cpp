// Where the DynamoDB store looks, from a Lambda's environment: region, table, endpoint overrides,
// credentials and the CA bundle, and what it says when something is missing.
#include "dynamodb_config.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

namespace {

using videochat::aws::ConfigError;
using videochat::aws::DynamoDbConfig;

struct World {
  std::map<std::string, std::string, std::less<>> variables = {
      {"AWS_REGION", "eu-west-1"},
      {"VIDEOCHAT_TABLE", "videochat-rooms"},
      {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
      {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
      {"AWS_SESSION_TOKEN", "token"}};
  std::set<std::string> files = {"/etc/ssl/certs/ca-certificates.crt"};

  DynamoDbConfig config() const {
    return videochat::aws::dynamodb_config_from(
        [this](std::string_view name) -> std::optional<std::string> {
          auto it = variables.find(name);
          if (it == variables.end()) return std::nullopt;
          return it->second;
        },
        [this](const std::string& path) { return files.contains(path); });
  }
};

}  // namespace

TEST_SUITE("DynamoDB configuration") {
  TEST_CASE("a Lambda's environment gives the regional endpoint, table and credentials") {
    DynamoDbConfig config = World{}.config();
    CHECK(config.region == "eu-west-1");
    CHECK(config.endpoint == "https://dynamodb.eu-west-1.amazonaws.com");
    CHECK(config.table == "videochat-rooms");
    REQUIRE(config.credentials);
    CHECK(config.credentials->access_key_id == "AKIDEXAMPLE");
    CHECK(config.credentials->secret_access_key == "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    CHECK(config.credentials->session_token == "token");
  }

  TEST_CASE("AWS_ENDPOINT_URL_DYNAMODB wins over AWS_ENDPOINT_URL; a trailing slash is dropped") {
    World world;
    world.variables["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566";
    CHECK(world.config().endpoint == "http://127.0.0.1:4566");
    world.variables["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000/";
    CHECK(world.config().endpoint == "http://127.0.0.1:8000");
  }

  TEST_CASE("an endpoint that is not http(s) is refused") {
    World world;
    world.variables["AWS_ENDPOINT_URL_DYNAMODB"] = "127.0.0.1:8000";
    CHECK_THROWS_AS(world.config(), ConfigError);
  }

  TEST_CASE("AWS_DEFAULT_REGION stands in for AWS_REGION") {
    World world;
    world.variables.erase("AWS_REGION");
    world.variables["AWS_DEFAULT_REGION"] = "us-east-1";
    CHECK(world.config().endpoint == "https://dynamodb.us-east-1.amazonaws.com");
  }

  TEST_CASE("a missing region or table is refused with a message naming the variable") {
    for (const char* name : {"AWS_REGION", "VIDEOCHAT_TABLE"}) {
      World world;
      world.variables.erase(name);
      CHECK_THROWS_WITH_AS(world.config(), doctest::Contains(name), ConfigError);
    }
    World empty_table;
    empty_table.variables["VIDEOCHAT_TABLE"] = "";
    CHECK_THROWS_AS(empty_table.config(), ConfigError);
  }

  TEST_CASE("no credentials at all is allowed (a local server); half of them is refused") {
    World none;
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
      none.variables.erase(name);
    }
    CHECK_FALSE(none.config().credentials);
    World half;
    half.variables.erase("AWS_SECRET_ACCESS_KEY");
    CHECK_THROWS_WITH_AS(half.config(), doctest::Contains("AWS_SECRET_ACCESS_KEY"), ConfigError);
  }

  TEST_CASE("the CA bundle is Amazon Linux's when present, else Debian's, else none") {
    World world;
    CHECK(world.config().ca_bundle == "/etc/ssl/certs/ca-certificates.crt");
    world.files.insert("/etc/pki/tls/certs/ca-bundle.crt");
    CHECK(world.config().ca_bundle == "/etc/pki/tls/certs/ca-bundle.crt");
    world.files.clear();
    CHECK_FALSE(world.config().ca_bundle);
  }
}
