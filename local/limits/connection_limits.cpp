#include "connection_limits.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

namespace videochat::local {

struct ConnectionLimits::Counts {
  std::mutex mutex;
  std::size_t held = 0;
  std::unordered_map<std::string, std::size_t> by_address;

  void release(const std::string& address) {
    std::lock_guard lock(mutex);
    --held;
    auto it = by_address.find(address);
    if (it != by_address.end() && --it->second == 0) by_address.erase(it);
  }
};

ConnectionLimits::ConnectionLimits(std::size_t total, std::size_t per_address)
    : total_(total), per_address_(per_address), counts_(std::make_shared<Counts>()) {}

std::variant<ConnectionLimits::Slot, ConnectionLimits::Refusal> ConnectionLimits::admit(
    const std::string& address) {
  {
    std::lock_guard lock(counts_->mutex);
    if (total_ != 0 && counts_->held >= total_) return Refusal::Total;
    std::size_t& mine = counts_->by_address[address];
    if (per_address_ != 0 && mine >= per_address_) return Refusal::PerAddress;
    ++mine;
    ++counts_->held;
  }
  // The slot's deleter gives the place back; it holds the counts, not this object.
  return Slot(static_cast<void*>(nullptr),
              [counts = counts_, address](void*) { counts->release(address); });
}

std::size_t ConnectionLimits::held() const {
  std::lock_guard lock(counts_->mutex);
  return counts_->held;
}

std::size_t ConnectionLimits::held_by(const std::string& address) const {
  std::lock_guard lock(counts_->mutex);
  auto it = counts_->by_address.find(address);
  return it == counts_->by_address.end() ? 0 : it->second;
}

std::string refusal_text(ConnectionLimits::Refusal refusal) {
  switch (refusal) {
    case ConnectionLimits::Refusal::Total:
      return "The server holds as many connections as it may (--max-connections); try again "
             "shortly.";
    case ConnectionLimits::Refusal::PerAddress:
      return "Too many connections from your address (--max-connections-per-address); close some "
             "and try again.";
  }
  return {};
}

const char* refusal_reason(ConnectionLimits::Refusal refusal) {
  return refusal == ConnectionLimits::Refusal::Total ? "max_connections"
                                                     : "max_connections_per_address";
}

std::size_t default_total_connections(std::size_t descriptor_limit) {
  constexpr std::size_t kReserved = 64;
  return descriptor_limit > 2 * kReserved ? descriptor_limit - kReserved : descriptor_limit / 2;
}

}  // namespace videochat::local

namespace videochat::local {

std::string service_unavailable_response(const std::string& text) {
  const std::string body = text + "\n";
  return "HTTP/1.1 503 Service Unavailable\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n"
         "Content-Length: " +
         std::to_string(body.size()) +
         "\r\n"
         "Retry-After: 5\r\n"
         "Connection: close\r\n\r\n" +
         body;
}

}  // namespace videochat::local
