#include "delivery_ledger.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace videochat::bench {

void DeliveryLedger::sent(int client, std::uint64_t sequence, std::int64_t sent_ns,
                          const std::vector<int>& recipients) {
  Message& message = messages_[key(client, sequence)];
  message.sent_ns = sent_ns;
  message.copies.clear();
  for (int recipient : recipients) message.copies.emplace_back(recipient, 0);
  ++sent_;
}

void DeliveryLedger::received(int recipient, int client, std::uint64_t sequence,
                              std::int64_t received_ns) {
  auto it = messages_.find(key(client, sequence));
  if (it == messages_.end()) {
    ++unexpected_;
    return;
  }
  for (auto& [who, copies] : it->second.copies) {
    if (who != recipient) continue;
    if (++copies == 1) {
      latencies_ms_.push_back(static_cast<double>(received_ns - it->second.sent_ns) / 1e6);
    }
    return;
  }
  ++unexpected_;
}

bool DeliveryLedger::all_delivered() const {
  for (const auto& [id, message] : messages_) {
    for (const auto& [who, copies] : message.copies) {
      if (copies == 0) return false;
    }
  }
  return true;
}

LedgerReport DeliveryLedger::report() const {
  LedgerReport report;
  report.sent = sent_;
  report.unexpected = unexpected_;
  for (const auto& [id, message] : messages_) {
    for (const auto& [who, copies] : message.copies) {
      ++report.expected;
      if (copies == 0) {
        ++report.lost;
      } else {
        ++report.delivered;
        report.duplicated += static_cast<std::uint64_t>(copies - 1);
      }
    }
  }
  if (!latencies_ms_.empty()) {
    std::vector<double> sorted = latencies_ms_;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) {
      std::size_t index = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1));
      return sorted[index];
    };
    report.p50_ms = at(0.50);
    report.p99_ms = at(0.99);
    report.max_ms = sorted.back();
  }
  return report;
}

namespace {

// The integer after `"name":` anywhere in `text`.
template <class Number>
bool field(const std::string& text, const char* name, Number& out) {
  std::string needle = std::string("\"") + name + "\":";
  std::size_t at = text.find(needle);
  if (at == std::string::npos) return false;
  const char* begin = text.data() + at + needle.size();
  const char* end = text.data() + text.size();
  while (begin < end && *begin == ' ') ++begin;
  auto [stop, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && stop != begin;
}

}  // namespace

bool parse_bench_message(const std::string& text, BenchMessage& out) {
  if (text.empty() || text.front() != '{') return false;
  return field(text, "c", out.client) && field(text, "s", out.sequence) &&
         field(text, "t", out.sent_ns);
}

std::string format_bench_message(const BenchMessage& message) {
  char text[96];
  int n = std::snprintf(text, sizeof text, "{\"c\":%d,\"s\":%llu,\"t\":%lld}", message.client,
                        static_cast<unsigned long long>(message.sequence),
                        static_cast<long long>(message.sent_ns));
  return std::string(text, static_cast<std::size_t>(n));
}

}  // namespace videochat::bench
