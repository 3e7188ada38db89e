// CloudWatch Embedded Metric Format (EMF): a log line that CloudWatch Logs turns into metrics, so a
// Lambda function publishes metrics by printing, with no PutMetricData call (and no extra latency)
// on the invocation's path. Pure: values in, JSON out.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace videochat::metrics {

// The CloudWatch units our metrics use (EMF takes any of CloudWatch's; these are what we need).
enum class Unit { Count, Milliseconds };
std::string_view to_string(Unit unit);

struct Metric {
  std::string name;
  Unit unit = Unit::Count;
  double value = 0;
};

// Metrics recorded under one set of dimensions (their names; the values are the document's).
struct MetricGroup {
  std::vector<std::string> dimensions;
  std::vector<Metric> metrics;
};

struct Document {
  std::string metric_namespace;
  std::int64_t timestamp_ms = 0;  // epoch milliseconds: the metrics' time
  // Every dimension any group names, with its value (EMF reads both from the top level).
  std::vector<std::pair<std::string, std::string>> dimension_values;
  std::vector<MetricGroup> groups;  // groups without metrics are left out
};

// Whether `name` is a namespace CloudWatch accepts for custom metrics (1 to 255 of letters, digits
// and . - _ / # : and space, not starting with "AWS/"), or what is wrong with it.
std::optional<std::string> namespace_problem(std::string_view name);

// The document as one JSON object: `_aws` (Timestamp, CloudWatchMetrics) beside the dimension
// values and the metric values. Null when no group has a metric: nothing to publish.
nlohmann::json to_json(const Document& document);
// The same object's members as JSON text without the braces (`"_aws":{…},"Joins":1`), to add to a
// log line that is already written (Logger::write_rendered); empty when there is nothing to
// publish.
std::string render_members(const Document& document);

}  // namespace videochat::metrics
