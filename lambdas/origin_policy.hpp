// Which web pages may open a WebSocket to the signaling API: the $connect route's check.
//
// Browsers send the page's origin with every WebSocket handshake and let any page open one, so
// without this check any site a person visits could join guessed rooms in their name. The rule:
// - the server's own origin (a page it serves: Origin's host and port are the request's Host) is
//   always allowed;
// - so is every origin listed (`--allowed-origin`, the template's AllowedOrigins), exactly;
// - "*" in the list allows every page, said out loud;
// - a handshake without an Origin (not a browser: wscat, a test client, a server) is allowed
//   unless a list was given: such a client could claim any Origin anyway.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace videochat::lambdas {

inline constexpr std::string_view kAnyOrigin = "*";

// Nothing when the handshake may go on; otherwise the reason, for the log and the refusal.
std::optional<std::string> origin_refusal(const std::vector<std::string>& allowed,
                                          std::optional<std::string_view> origin,
                                          std::optional<std::string_view> host);

// Whether `origin` ("scheme://host[:port]") names the same host and port as the HTTP Host header
// `host` (a default port written or not), ignoring case.
bool is_same_origin(std::string_view origin, std::string_view host);

}  // namespace videochat::lambdas
