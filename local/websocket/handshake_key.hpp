// RFC 6455 §4.2.1: a handshake's Sec-WebSocket-Key is "a base64-encoded value that, when decoded,
// is 16 bytes in length". A client that sends anything else is not speaking WebSocket (or is
// probing), and gets 400 before any route runs.
#pragma once

#include <string_view>

namespace videochat::local {

bool is_valid_websocket_key(std::string_view key);

}  // namespace videochat::local
