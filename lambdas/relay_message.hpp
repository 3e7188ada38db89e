// The `from` splicing of protocol v2: a relayed message that is a JSON object tells its recipients
// who sent it, in fields the server writes and a client cannot forge. Pure; used per message, so
// it reads the text once without building a document unless the client wrote the fields itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "identifiers.hpp"

namespace videochat::lambdas {

// What a relayed message becomes.
struct RelayText {
  enum class Kind {
    Spliced,   // a JSON object: `text` is it with the sender's fields
    Verbatim,  // not a JSON object: relayed byte for byte
    Refused,   // starts like a JSON object but is not valid JSON: `text` says why
  };
  Kind kind;
  std::string text;
};

// `message` with "from" set to `from` and "fromPeer" to `from_peer` (removed when there is none),
// whatever the client put there; the object's other members keep the client's text. A message
// that starts with '{' but that our parser refuses is not relayed at all: a laxer parser on the
// receiving side (JavaScript's JSON.parse reads 1e400 as Infinity, and lone surrogates) could
// read it as an object whose "from" the server never checked.
RelayText with_sender(std::string_view message, const protocol::ConnectionId& from,
                      const std::optional<protocol::PeerId>& from_peer);

}  // namespace videochat::lambdas
