// How many TCP connections videochat-local holds at once, in all and per source address: a page
// or a script that opens thousands cannot take every file descriptor, and one address cannot
// crowd out the others. API Gateway has limits of its own (account-wide connection and message
// rates); this is the local server's equivalent, with its refusal said in words.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <variant>

namespace videochat::local {

class ConnectionLimits {
 public:
  // 0 means no limit.
  ConnectionLimits(std::size_t total, std::size_t per_address);

  enum class Refusal { Total, PerAddress };
  // A connection's place, held for as long as a copy of it lives (the HTTP session, then the
  // WebSocket session): dropping the last copy frees it. Safe from any thread.
  using Slot = std::shared_ptr<void>;
  std::variant<Slot, Refusal> admit(const std::string& address);

  std::size_t held() const;
  std::size_t held_by(const std::string& address) const;
  std::size_t total_limit() const { return total_; }
  std::size_t per_address_limit() const { return per_address_; }

 private:
  struct Counts;
  std::size_t total_;
  std::size_t per_address_;
  std::shared_ptr<Counts> counts_;  // shared with the slots, which may outlive this object
};

// What a refused connection is told (the body of its 503), and the log's word for it.
std::string refusal_text(ConnectionLimits::Refusal refusal);
const char* refusal_reason(ConnectionLimits::Refusal refusal);

// The total to use when none is given: the process's descriptor limit, less what the server needs
// for itself (listeners, logs, the store's and the Lambda processes' sockets), so that the limit
// answers with a 503 before accept() runs out of descriptors.
std::size_t default_total_connections(std::size_t descriptor_limit);

}  // namespace videochat::local

namespace videochat::local {

// The whole HTTP response a refused connection gets before it is closed: 503, Retry-After, the
// reason in words.
std::string service_unavailable_response(const std::string& text);

}  // namespace videochat::local
