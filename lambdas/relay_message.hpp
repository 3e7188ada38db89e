// The `from` splicing of protocol v2: a relayed message that is a JSON object tells its recipients
// who sent it, in fields the server writes and a client cannot forge. Pure; used per message, so
// it reads the text once, in place (protocol/json_reader.hpp), and writes into a buffer the caller
// reuses: no document is built unless the client wrote the server's fields itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "identifiers.hpp"

namespace videochat::lambdas {

// What a relayed message becomes.
enum class RelayKind {
  Spliced,   // a JSON object: `out` holds it with the sender's fields
  Verbatim,  // does not look like a JSON object: relayed byte for byte
  Refused,   // looks like a JSON object but is not valid JSON (or nests too deeply): `out` says why
};

// `message` with "from" set to `from` and "fromPeer" to `from_peer` (removed when there is none),
// whatever the client put there; the object's other members keep the client's text. `out` is
// replaced, its capacity reused.
//
// A message looks like a JSON object when its first character past JSON whitespace and a leading
// byte-order mark is '{': nlohmann, which our client parses with, skips the mark, so a message
// that hid an object behind one would otherwise reach the client unmarked. Such a message is
// relayed without the mark. One that looks like an object but that our reader refuses is not
// relayed at all: a laxer parser on the receiving side (JavaScript's JSON.parse reads 1e400 as
// Infinity, and lone surrogates) could read it as an object whose "from" the server never checked.
RelayKind with_sender(std::string_view message, const protocol::ConnectionId& from,
                      const std::optional<protocol::PeerId>& from_peer, std::string& out);

}  // namespace videochat::lambdas
