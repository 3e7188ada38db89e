// The text encodings outsiders' bytes arrive in, checked and decoded one way for everyone: hex
// digits, percent-encoding (request paths, queries, shared links) and UTF-8 (names, JSON strings,
// WebSocket text frames). Pure; built by the client and the server alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace videochat::protocol {

// The value of one hex digit (either case), or -1.
int hex_digit_value(char c);

// `text` with each %XX decoded (and '+' read as a space when `plus_is_space`, as in query strings
// and form data); nothing when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// `text` with every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~, RFC 3986) written %XX,
// as a query value in a link.
std::string percent_encode(std::string_view text);

// The length of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF), or 0 when there is none there.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// Well-formed UTF-8 throughout: what a WebSocket text frame must carry.
bool is_utf8(std::string_view text);

}  // namespace videochat::protocol
