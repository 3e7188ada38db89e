// What CloudWatch checks before it extracts metrics from a log line (the Embedded Metric Format
// specification), as a list of problems: empty when the line is a valid EMF document. The tests
// hold our documents to it; its own test shows it refuses broken ones.
#pragma once

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace videochat::test {

// CloudWatch's units (MetricDatum's Unit).
inline bool is_cloudwatch_unit(std::string_view unit) {
  static constexpr std::array<std::string_view, 27> kUnits = {"Seconds",
                                                              "Microseconds",
                                                              "Milliseconds",
                                                              "Bytes",
                                                              "Kilobytes",
                                                              "Megabytes",
                                                              "Gigabytes",
                                                              "Terabytes",
                                                              "Bits",
                                                              "Kilobits",
                                                              "Megabits",
                                                              "Gigabits",
                                                              "Terabits",
                                                              "Percent",
                                                              "Count",
                                                              "Bytes/Second",
                                                              "Kilobytes/Second",
                                                              "Megabytes/Second",
                                                              "Gigabytes/Second",
                                                              "Terabytes/Second",
                                                              "Bits/Second",
                                                              "Kilobits/Second",
                                                              "Megabits/Second",
                                                              "Gigabits/Second",
                                                              "Terabits/Second",
                                                              "Count/Second",
                                                              "None"};
  return std::find(kUnits.begin(), kUnits.end(), unit) != kUnits.end();
}

inline std::vector<std::string> emf_problems(const nlohmann::json& line) {
  std::vector<std::string> problems;
  auto problem = [&](std::string text) { problems.push_back(std::move(text)); };
  if (!line.is_object()) return {"the line is not a JSON object"};
  const auto aws = line.find("_aws");
  if (aws == line.end() || !aws->is_object()) return {"no _aws object"};
  const auto timestamp = aws->find("Timestamp");
  if (timestamp == aws->end() || !timestamp->is_number_integer() ||
      timestamp->get<long long>() <= 0) {
    problem("_aws.Timestamp is not epoch milliseconds");
  }
  const auto directives = aws->find("CloudWatchMetrics");
  if (directives == aws->end() || !directives->is_array() || directives->empty()) {
    problem("_aws.CloudWatchMetrics is not a non-empty array");
    return problems;
  }
  for (const auto& directive : *directives) {
    const auto ns = directive.find("Namespace");
    if (ns == directive.end() || !ns->is_string() || ns->get<std::string>().empty()) {
      problem("a directive has no Namespace");
    }
    const auto dimension_sets = directive.find("Dimensions");
    if (dimension_sets == directive.end() || !dimension_sets->is_array()) {
      problem("a directive has no Dimensions array");
    } else {
      for (const auto& set : *dimension_sets) {
        if (!set.is_array() || set.size() > 30)
          problem("a dimension set is not an array of at most 30");
        for (const auto& name : set) {
          if (!name.is_string()) {
            problem("a dimension name is not a string");
            continue;
          }
          const auto value = line.find(name.get<std::string>());
          if (value == line.end() || !value->is_string() || value->get<std::string>().empty()) {
            problem("dimension " + name.get<std::string>() +
                    " has no string value at the top level");
          }
        }
      }
    }
    const auto metrics = directive.find("Metrics");
    if (metrics == directive.end() || !metrics->is_array() || metrics->empty() ||
        metrics->size() > 100) {
      problem("a directive has no Metrics array of 1 to 100");
      continue;
    }
    for (const auto& metric : *metrics) {
      const auto name = metric.find("Name");
      if (name == metric.end() || !name->is_string()) {
        problem("a metric has no Name");
        continue;
      }
      const auto unit = metric.find("Unit");
      if (unit != metric.end() &&
          (!unit->is_string() || !is_cloudwatch_unit(unit->get<std::string>()))) {
        problem("metric " + name->get<std::string>() + " has a unit CloudWatch does not know");
      }
      const auto value = line.find(name->get<std::string>());
      if (value == line.end() || !value->is_number()) {
        problem("metric " + name->get<std::string>() + " has no number at the top level");
      }
    }
  }
  return problems;
}

// The metric values a line publishes under a directive with exactly these dimension names.
inline std::vector<std::string> emf_metric_names(const nlohmann::json& line,
                                                 const std::vector<std::string>& dimensions) {
  std::vector<std::string> names;
  for (const auto& directive : line["_aws"]["CloudWatchMetrics"]) {
    for (const auto& set : directive["Dimensions"]) {
      if (set.get<std::vector<std::string>>() != dimensions) continue;
      for (const auto& metric : directive["Metrics"]) names.push_back(metric["Name"]);
    }
  }
  return names;
}

}  // namespace videochat::test
