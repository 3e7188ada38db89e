#include "message_rate.hpp"

#include <algorithm>

namespace videochat::local {

TokenBucket::TokenBucket(RateLimit limit, double now_ms)
    : limit_(limit), tokens_(limit.burst), at_ms_(now_ms) {}

bool TokenBucket::holds(double now_ms, double cost) {
  if (unlimited()) return true;
  if (now_ms > at_ms_) {
    tokens_ = std::min(limit_.burst, tokens_ + (now_ms - at_ms_) / 1000 * limit_.per_second);
    at_ms_ = now_ms;
  }
  return tokens_ >= cost;
}

MessageRateLimiter::MessageRateLimiter(RateLimit messages, RateLimit bytes, double now_ms)
    : messages_(messages, now_ms),
      bytes_(bytes, now_ms),
      messages_per_second_(messages.per_second) {}

RateVerdict MessageRateLimiter::admit(double now_ms, std::size_t bytes) {
  const double size = static_cast<double>(bytes);
  // Both buckets are checked before either is charged: a refused message costs nothing.
  const bool has_message = messages_.holds(now_ms, 1);
  const bool has_bytes = bytes_.holds(now_ms, size);
  if (has_message && has_bytes) {
    messages_.take(1);
    bytes_.take(size);
    return RateVerdict::Pass;
  }

  if (!span_start_ms_ || now_ms - *span_start_ms_ >= kSpanMs) {
    span_start_ms_ = now_ms;
    refused_in_span_ = 0;
  }
  ++refused_in_span_;
  // With no message limit (bytes only), the span's allowance is counted as one message a second.
  const double allowance = std::max(1.0, messages_per_second_) * kSpanMs / 1000;
  if (static_cast<double>(refused_in_span_) > allowance) return RateVerdict::Close;
  if (!told_at_ms_ || now_ms - *told_at_ms_ >= kTellEveryMs) {
    told_at_ms_ = now_ms;
    return RateVerdict::RefuseAndTell;
  }
  return RateVerdict::Refuse;
}

}  // namespace videochat::local
