#include "emf_document.hpp"

#include <algorithm>
#include <cmath>

namespace videochat::metrics {

std::string_view to_string(Unit unit) {
  switch (unit) {
    case Unit::Count:
      return "Count";
    case Unit::Milliseconds:
      return "Milliseconds";
  }
  return "None";
}

std::optional<std::string> namespace_problem(std::string_view name) {
  if (name.empty() || name.size() > 255) {
    return "a metric namespace has 1 to 255 characters, not " + std::to_string(name.size());
  }
  // CloudWatch keeps AWS/ for the services' own metrics and refuses custom metrics there.
  if (name.starts_with("AWS/")) return "a metric namespace may not start with AWS/";
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == '/' || c == '#' || c == ':' || c == ' ';
  };
  if (!std::all_of(name.begin(), name.end(), allowed)) {
    return "a metric namespace has only letters, digits and . - _ / # : and space: '" +
           std::string(name) + "'";
  }
  return std::nullopt;
}

namespace {

// Counts as integers ("1", not "1.0"): every byte of the line is billed as log ingestion.
nlohmann::json json_number(double value) {
  if (std::trunc(value) == value && std::abs(value) < 9.0e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

}  // namespace

nlohmann::json to_json(const Document& document) {
  nlohmann::json directives = nlohmann::json::array();
  nlohmann::json out = nlohmann::json::object();
  for (const MetricGroup& group : document.groups) {
    if (group.metrics.empty()) continue;
    nlohmann::json definitions = nlohmann::json::array();
    for (const Metric& metric : group.metrics) {
      definitions.push_back({{"Name", metric.name}, {"Unit", to_string(metric.unit)}});
      out[metric.name] = json_number(metric.value);
    }
    directives.push_back({{"Namespace", document.metric_namespace},
                          {"Dimensions", nlohmann::json::array({group.dimensions})},
                          {"Metrics", std::move(definitions)}});
  }
  if (directives.empty()) return nullptr;
  for (const auto& [name, value] : document.dimension_values) out[name] = value;
  out["_aws"] = {{"Timestamp", document.timestamp_ms},
                 {"CloudWatchMetrics", std::move(directives)}};
  return out;
}

std::string render_members(const Document& document) {
  const nlohmann::json object = to_json(document);
  if (object.is_null()) return {};
  // Dimension values come from configuration, but a replaced byte beats a throw in a log line.
  const std::string text = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text.substr(1, text.size() - 2);
}

}  // namespace videochat::metrics
