// The `from` splicing of protocol v2: a relayed message that is a JSON object tells its recipients
// who sent it, in fields the server writes and a client cannot forge. Pure; used per message, so
// it reads the text once without building a document unless the client wrote the fields itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wire_protocol.hpp"

namespace videochat::lambdas {

// `message` with "from" set to `from` and "fromPeer" to `from_peer` (removed when there is none),
// whatever the client put there; or nothing when `message` is not a JSON object, which is then
// relayed byte for byte. The object's other members keep the client's text.
std::optional<std::string> with_sender(std::string_view message, const protocol::ConnectionId& from,
                                       const std::optional<protocol::PeerId>& from_peer);

}  // namespace videochat::lambdas
