// How fast one connection may send: messages and bytes per second, each a token bucket. A client
// over the limit has its messages refused (not routed, not relayed) and is told so at most once a
// second; one that keeps sending at more than twice its allowance is closed. Normal signaling (a
// join into a room of six, trickled candidates, renegotiations) stays far below the defaults.
// Pure: the caller passes the clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace videochat::local {

// A sustained rate and the burst above it; a rate of 0 means no limit.
struct RateLimit {
  double per_second = 0;
  double burst = 0;
};

class TokenBucket {
 public:
  TokenBucket(RateLimit limit, double now_ms);
  bool unlimited() const { return limit_.per_second <= 0; }
  // Whether `cost` tokens are there (after refilling up to now); takes nothing.
  bool holds(double now_ms, double cost);
  void take(double cost) { tokens_ -= cost; }

 private:
  RateLimit limit_;
  double tokens_;
  double at_ms_;
};

enum class RateVerdict {
  Pass,           // route it
  Refuse,         // drop it
  RefuseAndTell,  // drop it, and tell the client (the first refusal in a second)
  Close,          // drop it, and close the connection: it kept on far over its allowance
};

class MessageRateLimiter {
 public:
  // The span over which a sender's refusals are counted, and what closes it: refusals within one
  // span that pass the allowance of the whole span (so sending at more than twice the rate).
  static constexpr double kSpanMs = 10000;
  static constexpr double kTellEveryMs = 1000;

  MessageRateLimiter(RateLimit messages, RateLimit bytes, double now_ms);
  RateVerdict admit(double now_ms, std::size_t bytes);

 private:
  TokenBucket messages_;
  TokenBucket bytes_;
  double messages_per_second_;
  std::optional<double> span_start_ms_;
  std::uint64_t refused_in_span_ = 0;
  std::optional<double> told_at_ms_;
};

}  // namespace videochat::local
