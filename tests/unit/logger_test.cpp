#include <doctest/doctest.h>

#include <regex>
#include <sstream>
#include <vector>

#include "logger.hpp"

using videochat::lambdas::Logger;
using videochat::lambdas::StreamLogger;

namespace {

std::vector<nlohmann::json> lines_of(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

bool is_utc_timestamp(const nlohmann::json& value) {
  static const std::regex kFormat(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  return value.is_string() && std::regex_match(value.get<std::string>(), kFormat);
}

// A logger that keeps what it is given, as the Lambda runtime's or a test's own would.
class KeepingLogger final : public Logger {
 public:
  void write(nlohmann::json line) override { lines.push_back(std::move(line)); }
  std::vector<nlohmann::json> lines;
};

}  // namespace

TEST_SUITE("StreamLogger") {
  TEST_CASE("a long string is cut at a character boundary and says how long it was") {
    std::ostringstream out;
    StreamLogger log(out);
    // 255 bytes of ASCII, then two-byte characters: byte 256 falls inside one of them.
    const std::string to =
        std::string(255, 'x') + std::string(100000, 'a').replace(0, 4, "\xc3\xa9\xc3\xa9");
    log.write({{"event", "unknown_recipient"}, {"to", to}, {"nested", {{"deep", to}}}});
    auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 1);
    const std::string logged = lines[0]["to"];
    CHECK(logged == std::string(255, 'x') + "\u2026 (100255 bytes)");
    CHECK(lines[0]["nested"]["deep"] == logged);
    CHECK(out.str().size() < 1000);
    // Short strings are untouched.
    CHECK(lines[0]["event"] == "unknown_recipient");
  }

  TEST_CASE("a JSON object is written as one line with a UTC timestamp") {
    std::ostringstream out;
    StreamLogger log(out);
    log.write({{"event", "connect"}, {"connectionId", "abc"}});

    auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["event"] == "connect");
    CHECK(lines[0]["connectionId"] == "abc");
    CHECK(is_utc_timestamp(lines[0]["ts"]));
  }

  TEST_CASE("pre-rendered members are written as one JSON line with a UTC timestamp") {
    std::ostringstream out;
    StreamLogger log(out);
    log.write_rendered(R"("event":"route","status":200,"error":"a \"quoted\" word")");
    log.write_rendered(R"("event":"route","status":404)");

    auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["event"] == "route");
    CHECK(lines[0]["status"] == 200);
    CHECK(lines[0]["error"] == "a \"quoted\" word");
    CHECK(is_utc_timestamp(lines[0]["ts"]));
    CHECK(lines[1]["status"] == 404);
    CHECK(is_utc_timestamp(lines[1]["ts"]));
  }
}

TEST_SUITE("Logger") {
  TEST_CASE("a logger without its own rendered path receives the members as a JSON object") {
    KeepingLogger log;
    log.write_rendered(R"("event":"route","durationUs":12)");

    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0] == nlohmann::json{{"event", "route"}, {"durationUs", 12}});
  }
}
