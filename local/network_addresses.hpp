// The addresses other machines can reach this one at: what a server listening on every interface
// (--host 0.0.0.0) tells a person to type on their phone.
#pragma once

#include <string>
#include <vector>

namespace videochat::local {

// The IPv4 addresses of this machine's interfaces that are up, loopback excluded, in the order
// the system lists them (none when it cannot say).
std::vector<std::string> lan_ipv4_addresses();

}  // namespace videochat::local
