#include "origin_policy.hpp"

#include <algorithm>

#include "ascii_case.hpp"

namespace videochat::lambdas {

namespace {

// "host:port" with the scheme's default port left out, lower case.
std::string authority_without_default_port(std::string_view authority, std::string_view scheme) {
  std::string text = ascii_lower(authority);
  const std::string_view default_port = scheme == "https" || scheme == "wss" ? ":443" : ":80";
  if (text.ends_with(default_port)) text.resize(text.size() - default_port.size());
  return text;
}

}  // namespace

bool is_same_origin(std::string_view origin, std::string_view host) {
  const auto separator = origin.find("://");
  if (separator == std::string_view::npos || host.empty()) return false;
  const std::string scheme = ascii_lower(origin.substr(0, separator));
  const std::string_view authority = origin.substr(separator + 3);
  // An origin is scheme and authority only: anything after them is not an origin.
  if (authority.empty() || authority.find_first_of("/?#@") != std::string_view::npos) return false;
  return authority_without_default_port(authority, scheme) ==
         authority_without_default_port(host, scheme);
}

std::optional<std::string> origin_refusal(const std::vector<std::string>& allowed,
                                          std::optional<std::string_view> origin,
                                          std::optional<std::string_view> host) {
  if (std::find(allowed.begin(), allowed.end(), kAnyOrigin) != allowed.end()) return std::nullopt;
  if (!origin) {
    if (allowed.empty()) return std::nullopt;
    return "no Origin header, and only listed origins may connect";
  }
  if (std::find(allowed.begin(), allowed.end(), *origin) != allowed.end()) return std::nullopt;
  if (host && is_same_origin(*origin, *host)) return std::nullopt;
  return "origin " + std::string(*origin) +
         " is neither this server's own nor listed (--allowed-origin, AllowedOrigins)";
}

}  // namespace videochat::lambdas
