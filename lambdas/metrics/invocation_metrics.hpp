// What one invocation of the signaling function publishes as metrics, and under which names: the
// template's alarms and dashboard name the same ones (tests/deploy checks them against
// kMetricNames). One EMF document per invocation, added to the invocation's `route` log line, so
// the metrics cost no log line of their own.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emf_document.hpp"

namespace videochat::metrics {

// The namespace unless VIDEOCHAT_METRICS_NAMESPACE (template.yaml's MetricsNamespace) says another.
inline constexpr std::string_view kDefaultNamespace = "VideoChat";
inline constexpr std::string_view kNamespaceVariable = "VIDEOCHAT_METRICS_NAMESPACE";

// Every metric is recorded per function (AWS_LAMBDA_FUNCTION_NAME), so two stacks in one account
// and region keep theirs apart; error responses also per error code.
inline constexpr std::string_view kFunctionDimension = "FunctionName";
inline constexpr std::string_view kErrorCodeDimension = "ErrorCode";

inline constexpr std::string_view kJoins = "Joins";                      // joinRoom answered 200
inline constexpr std::string_view kRelayedMessages = "RelayedMessages";  // sendMsgToRoom relayed
inline constexpr std::string_view kRelayFanOut = "RelayFanOut";  // posts a relayed message made
inline constexpr std::string_view kConnectionPosts = "ConnectionPosts";  // @connections posts
inline constexpr std::string_view kGoneConnections = "GoneConnections";  // ... answered 410 Gone
inline constexpr std::string_view kStoreRequests = "StoreRequests";      // DynamoDB requests
inline constexpr std::string_view kStoreLatency = "StoreLatency";      // ms spent waiting for them
inline constexpr std::string_view kErrorResponses = "ErrorResponses";  // answers of 400 and above

inline constexpr std::array<std::string_view, 8> kMetricNames = {
    kJoins,           kRelayedMessages, kRelayFanOut,  kConnectionPosts,
    kGoneConnections, kStoreRequests,   kStoreLatency, kErrorResponses};

struct MetricsSettings {
  std::string metric_namespace{kDefaultNamespace};
  std::string function_name;
};

// What happened during one invocation, counted by the adapters around the handlers.
struct InvocationCounts {
  std::string_view route;              // API Gateway's route key
  int status = 200;                    // the handler's status code
  std::string error_code;              // for a status of 400 and above (error_code_of)
  std::uint64_t connection_calls = 0;  // @connections calls of any kind (post, probe, close)
  std::uint64_t posts = 0;             // ... posts among them
  std::uint64_t gone = 0;              // ... answered Gone
  std::uint64_t store_requests = 0;    // DynamoDB HTTP requests, retries included
  std::chrono::nanoseconds store_wait{0};
};

// The code a failed answer carries: the error frame's `code` (BAD_REQUEST, ROOM_FULL, …), or
// HTTP_<status> when the body is no error frame ($connect's refusal, an unknown route). Never
// anything a client wrote, so the ErrorCode dimension has a few values only.
std::string error_code_of(int status, std::optional<std::string_view> body);

// The invocation's metrics: only those that apply to it (a ping publishes no Joins), so that
// averages such as RelayFanOut are over the invocations they describe.
Document invocation_document(const InvocationCounts& counts, const MetricsSettings& settings,
                             std::int64_t now_ms);

}  // namespace videochat::metrics
