// EMF documents: what CloudWatch needs to turn a log line into metrics, and nothing when there is
// nothing to publish.
#include <doctest/doctest.h>

#include <string>

#include "emf_document.hpp"
#include "emf_validator.hpp"

namespace {

using namespace videochat;
using metrics::Document;
using metrics::Unit;

Document two_groups() {
  return Document{
      "VideoChat",
      1765000000123,
      {{"FunctionName", "videochat-fn"}, {"ErrorCode", "ROOM_FULL"}},
      {{{"FunctionName"}, {{"Joins", Unit::Count, 1}, {"StoreLatency", Unit::Milliseconds, 4.25}}},
       {{"FunctionName", "ErrorCode"}, {{"ErrorResponses", Unit::Count, 1}}}}};
}

}  // namespace

TEST_SUITE("EMF documents") {
  TEST_CASE(
      "a document is one object CloudWatch reads as metrics: directives, dimensions, values") {
    const nlohmann::json line = metrics::to_json(two_groups());
    CHECK(test::emf_problems(line).empty());
    CHECK(line["_aws"]["Timestamp"] == 1765000000123);
    const auto& directives = line["_aws"]["CloudWatchMetrics"];
    REQUIRE(directives.size() == 2);
    CHECK(directives[0]["Namespace"] == "VideoChat");
    CHECK(directives[0]["Dimensions"] == nlohmann::json::parse(R"([["FunctionName"]])"));
    CHECK(directives[0]["Metrics"] == nlohmann::json::parse(
                                          R"([{"Name":"Joins","Unit":"Count"},
                                              {"Name":"StoreLatency","Unit":"Milliseconds"}])"));
    CHECK(directives[1]["Dimensions"] ==
          nlohmann::json::parse(R"([["FunctionName","ErrorCode"]])"));
    CHECK(line["FunctionName"] == "videochat-fn");
    CHECK(line["ErrorCode"] == "ROOM_FULL");
    CHECK(line["Joins"] == 1);
    CHECK(line["StoreLatency"] == 4.25);
    CHECK(line["ErrorResponses"] == 1);
    // Whole counts are written as integers: the line is billed by the byte.
    CHECK(line["Joins"].is_number_integer());
    CHECK(line["StoreLatency"].is_number_float());
  }

  TEST_CASE("the members rendered for a log line are the same object, without its braces") {
    const std::string members = metrics::render_members(two_groups());
    CHECK(members.front() != '{');
    CHECK(nlohmann::json::parse("{" + members + "}") == metrics::to_json(two_groups()));
    // Added after a line's own members, as the route line does.
    const auto line = nlohmann::json::parse(R"({"event":"route","status":409,)" + members + "}");
    CHECK(test::emf_problems(line).empty());
    CHECK(line["event"] == "route");
  }

  TEST_CASE("a document without any metric publishes nothing") {
    Document empty = two_groups();
    for (auto& group : empty.groups) group.metrics.clear();
    CHECK(metrics::to_json(empty).is_null());
    CHECK(metrics::render_members(empty).empty());
  }

  TEST_CASE("a group without metrics is left out, the others stay") {
    Document document = two_groups();
    document.groups[1].metrics.clear();
    const nlohmann::json line = metrics::to_json(document);
    CHECK(test::emf_problems(line).empty());
    CHECK(line["_aws"]["CloudWatchMetrics"].size() == 1);
    CHECK_FALSE(line.contains("ErrorResponses"));
  }

  TEST_CASE("namespaces CloudWatch refuses are named as such") {
    CHECK_FALSE(metrics::namespace_problem("VideoChat"));
    CHECK_FALSE(metrics::namespace_problem("video-chat/production #2: eu_west.1"));
    CHECK(metrics::namespace_problem(""));
    CHECK(metrics::namespace_problem(std::string(256, 'a')));
    CHECK_FALSE(metrics::namespace_problem(std::string(255, 'a')));
    CHECK(metrics::namespace_problem("AWS/Lambda")->find("AWS/") != std::string::npos);
    CHECK(metrics::namespace_problem("video$chat"));
    CHECK(metrics::namespace_problem("vidéo"));
  }

  TEST_CASE("the validator the tests use refuses what CloudWatch would") {
    nlohmann::json line = metrics::to_json(two_groups());
    line.erase("Joins");  // a declared metric without its value
    CHECK(test::emf_problems(line) ==
          std::vector<std::string>{"metric Joins has no number at the top level"});
    line = metrics::to_json(two_groups());
    line.erase("ErrorCode");  // a dimension without its value
    CHECK(test::emf_problems(line).size() == 1);
    line = metrics::to_json(two_groups());
    line["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"] = "Widgets";
    CHECK(test::emf_problems(line).size() == 1);
    line = metrics::to_json(two_groups());
    line["_aws"].erase("Timestamp");
    CHECK(test::emf_problems(line).size() == 1);
    CHECK(test::emf_problems(nlohmann::json::parse(R"({"event":"route"})")).size() == 1);
  }
}
