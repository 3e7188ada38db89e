#include "http_url.hpp"

#include <charconv>
#include <stdexcept>

namespace videochat::aws::http {

namespace {

[[noreturn]] void refuse(std::string_view text, std::string_view why) {
  throw std::invalid_argument("the URL '" + std::string(text) + "' " + std::string(why));
}

bool valid_port(std::string_view port) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  return error == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

}  // namespace

Url parse_url(std::string_view text) {
  Url url;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    url.secure = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    refuse(text, "is not an http:// or https:// URL");
  }
  const auto path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view target = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  if (target.find('#') != std::string_view::npos) refuse(text, "has a fragment");
  if (authority.find('@') != std::string_view::npos) refuse(text, "carries user information");

  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {  // an IPv6 literal: [::1]:8000
    const auto close = authority.find(']');
    if (close == std::string_view::npos) refuse(text, "has an unclosed [ in its host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) refuse(text, "has text after its IPv6 host");
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) refuse(text, "names no host");
  const std::string_view default_port = url.secure ? "443" : "80";
  if (authority.size() > host.size() && port.empty() && !authority.ends_with(']')) {
    refuse(text, "has an empty port");
  }
  if (!port.empty() && !valid_port(port)) refuse(text, "has a port that is not 1 to 65535");

  url.host = std::string(host);
  url.port = std::string(port.empty() ? default_port : port);
  // As curl, browsers and the AWS SDKs send it: a default port is left out of Host (and so of
  // the signature).
  url.host_header = std::string(port == default_port
                                    ? authority.substr(0, authority.size() - port.size() - 1)
                                    : authority);
  url.target = target.empty() ? "/" : std::string(target);
  if (url.target.front() == '?') url.target.insert(0, "/");
  return url;
}

}  // namespace videochat::aws::http
