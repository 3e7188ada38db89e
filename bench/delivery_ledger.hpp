// The load generator's accounting, kept pure so it can be tested: which messages were sent to
// whom, which arrived, how late, and which arrived twice or never.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace videochat::bench {

struct LedgerReport {
  std::uint64_t sent = 0;        // messages sent
  std::uint64_t expected = 0;    // deliveries expected: each message, to every other room member
  std::uint64_t delivered = 0;   // distinct deliveries that arrived
  std::uint64_t lost = 0;        // expected deliveries that never arrived
  std::uint64_t duplicated = 0;  // deliveries that arrived more than once (counted per extra copy)
  std::uint64_t unexpected = 0;  // deliveries to someone who should not have had them
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

class DeliveryLedger {
 public:
  // `client` sent message `sequence` at `sent_ns`, to be delivered to each of `recipients`.
  void sent(int client, std::uint64_t sequence, std::int64_t sent_ns,
            const std::vector<int>& recipients);
  // `recipient` received `client`'s message `sequence` at `received_ns`.
  void received(int recipient, int client, std::uint64_t sequence, std::int64_t received_ns);
  LedgerReport report() const;
  // Whether every expected delivery has arrived: what the drain waits for, without the cost of a
  // report (which sorts every latency).
  bool all_delivered() const;

 private:
  struct Message {
    std::int64_t sent_ns = 0;
    // Copies received per expected recipient; recipients are few (a room), so a small vector.
    std::vector<std::pair<int, int>> copies;
  };
  static std::uint64_t key(int client, std::uint64_t sequence) {
    return (static_cast<std::uint64_t>(client) << 40) | sequence;
  }

  std::unordered_map<std::uint64_t, Message> messages_;
  std::vector<double> latencies_ms_;
  std::uint64_t unexpected_ = 0;
  std::uint64_t sent_ = 0;
};

// The fields of a relayed benchmark message, read without a JSON library on the hot path:
// {"c":<client>,"s":<sequence>,"t":<sent ns>} possibly with fields a server added (such as
// "from"). False for anything else (other message types are ignored).
struct BenchMessage {
  int client = 0;
  std::uint64_t sequence = 0;
  std::int64_t sent_ns = 0;
};
bool parse_bench_message(const std::string& text, BenchMessage& out);
std::string format_bench_message(const BenchMessage& message);

}  // namespace videochat::bench
