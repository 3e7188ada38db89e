// Who may use the @connections management API when no credentials are configured: only programs
// on this machine. The signature check (management_auth.hpp) is what guards it otherwise.
//
// Loopback alone is not enough: a page in the person's own browser runs on this machine too. Its
// `fetch` carries an Origin (a cross-origin text/plain POST needs no preflight), and a page that
// rebinds its own host name to 127.0.0.1 sends its own name as Host. So an unsigned request must
// come from a loopback address, carry no Origin, and name a loopback host.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace videochat::local {

// A loopback peer address in text form: 127.0.0.0/8, ::1, or IPv4-mapped ::ffff:127.x.x.x (what
// a server listening on `::` sees of a client connecting to 127.0.0.1).
bool is_loopback_address(std::string_view address);

// A Host header that names this machine's loopback: localhost, an IPv4 loopback address or
// [::1], each with or without a port.
bool is_loopback_host(std::string_view host);

// Nothing when an unsigned management request from a loopback peer may go on; otherwise why not.
std::optional<std::string> unsigned_management_refusal(std::optional<std::string_view> origin,
                                                       std::string_view host);

}  // namespace videochat::local
