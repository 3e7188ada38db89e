// The one `route` log line, whichever edge ran the handler.
#include "route_log.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace {

using nlohmann::json;
using videochat::lambdas::RouteLine;

json line_of(const RouteLine& line, std::string_view extra = {}) {
  std::ostringstream out;
  videochat::lambdas::StreamLogger log(out);
  videochat::lambdas::write_route_line(log, line, extra);
  json parsed = json::parse(out.str());
  parsed.erase("ts");
  return parsed;
}

}  // namespace

TEST_SUITE("route log line") {
  TEST_CASE("a success names the route, the connection, the status and the time taken") {
    CHECK(line_of({"joinRoom", "abc=", 200, 41, "req-1", "ignored below 400"}) ==
          json{{"event", "route"},
               {"route", "joinRoom"},
               {"connectionId", "abc="},
               {"status", 200},
               {"durationUs", 41},
               {"requestId", "req-1"}});
  }

  TEST_CASE("a refusal carries what the sender was told, invalid UTF-8 replaced") {
    json line = line_of({"$default", "abc=", 400, std::nullopt, {}, "unknown action 'x\xff'"});
    CHECK(line.at("error") == "unknown action 'x\xef\xbf\xbd'");
    CHECK_FALSE(line.contains("durationUs"));
    CHECK_FALSE(line.contains("requestId"));
  }

  TEST_CASE("ids that need escaping stay inside their strings; extra members come last") {
    json line = line_of({"r\"1", "a\\b\n", 500, 3, {}, std::nullopt}, R"("pid":12)");
    CHECK(line.at("route") == "r\"1");
    CHECK(line.at("connectionId") == "a\\b\n");
    CHECK(line.at("pid") == 12);
  }
}
