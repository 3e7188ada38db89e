#include "management_guard.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "ascii_case.hpp"

namespace videochat::local {

namespace {

bool is_ipv4_loopback(std::string_view text) {
  in_addr address{};
  const std::string copy(text);
  return inet_pton(AF_INET, copy.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

bool is_ipv6_loopback(std::string_view text) {
  in6_addr address{};
  const std::string copy(text);
  if (inet_pton(AF_INET6, copy.c_str(), &address) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&address)) return true;
  return IN6_IS_ADDR_V4MAPPED(&address) && address.s6_addr[12] == 127;
}

// The host part of a Host header: without its port, and without the brackets of an IPv6 literal.
std::string_view host_name(std::string_view host) {
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return {};
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return {};
    return host.substr(1, close - 1);
  }
  return host.substr(0, host.find(':'));
}

}  // namespace

bool is_loopback_address(std::string_view address) {
  return is_ipv4_loopback(address) || is_ipv6_loopback(address);
}

bool is_loopback_host(std::string_view host) {
  const std::string_view name = host_name(host);
  if (name.empty()) return false;
  if (ascii_lower(name) == "localhost") return true;
  return host.starts_with('[') ? is_ipv6_loopback(name) : is_ipv4_loopback(name);
}

std::optional<std::string> unsigned_management_refusal(std::optional<std::string_view> origin,
                                                       std::string_view host) {
  if (origin) {
    return "the management API without --management-credentials answers no web page (the "
           "request has an Origin)";
  }
  if (!is_loopback_host(host)) {
    return "the management API without --management-credentials answers only requests to a "
           "loopback host (localhost, 127.0.0.1, [::1]), not '" +
           std::string(host) + "'";
  }
  return std::nullopt;
}

}  // namespace videochat::local
