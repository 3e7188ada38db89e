#include "invocation_metrics.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "client_frames.hpp"

namespace videochat::metrics {

namespace {

// The error frames' codes are upper-case words joined by underscores (protocol/error_code.hpp).
bool looks_like_code(const std::string& text) {
  return !text.empty() && text.size() <= 40 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Metric count(std::string_view name, double value) {
  return {std::string(name), Unit::Count, value};
}

}  // namespace

std::string error_code_of(int status, std::optional<std::string_view> body) {
  if (body) {
    const auto frame = nlohmann::json::parse(*body, nullptr, false);
    if (frame.is_object()) {
      const auto code = frame.find("code");
      if (code != frame.end() && code->is_string() && looks_like_code(code->get<std::string>())) {
        return code->get<std::string>();
      }
    }
  }
  return "HTTP_" + std::to_string(status);
}

Document invocation_document(const InvocationCounts& counts, const MetricsSettings& settings,
                             std::int64_t now_ms) {
  MetricGroup per_function{{std::string(kFunctionDimension)}, {}};
  auto& metrics = per_function.metrics;
  const bool ok = counts.status < 400;
  if (counts.route == protocol::to_string(protocol::Action::JoinRoom) && ok)
    metrics.push_back(count(kJoins, 1));
  if (counts.route == protocol::to_string(protocol::Action::SendMsgToRoom) && ok) {
    metrics.push_back(count(kRelayedMessages, 1));
    metrics.push_back(count(kRelayFanOut, static_cast<double>(counts.posts)));
  }
  if (counts.connection_calls > 0) {
    metrics.push_back(count(kConnectionPosts, static_cast<double>(counts.posts)));
    metrics.push_back(count(kGoneConnections, static_cast<double>(counts.gone)));
  }
  if (counts.store_requests > 0) {
    metrics.push_back(count(kStoreRequests, static_cast<double>(counts.store_requests)));
    // To the microsecond: the figure is a few milliseconds, and EMF takes decimals.
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(counts.store_wait);
    metrics.push_back(
        {std::string(kStoreLatency), Unit::Milliseconds, static_cast<double>(us.count()) / 1000.0});
  }
  Document document{settings.metric_namespace,
                    now_ms,
                    {{std::string(kFunctionDimension), settings.function_name}},
                    {std::move(per_function)}};
  if (!ok) {
    document.dimension_values.emplace_back(kErrorCodeDimension, counts.error_code);
    document.groups.push_back({{std::string(kFunctionDimension), std::string(kErrorCodeDimension)},
                               {count(kErrorResponses, 1)}});
  }
  return document;
}

}  // namespace videochat::metrics
