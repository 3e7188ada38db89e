// The server's Unicode rules for room ids in other scripts than ASCII, on top of the shape both
// ends check (protocol::is_valid_room_id): a room must have one spelling, and show what it is.
// So an id must be in Unicode normalization form C (the client normalizes what people type; a
// decomposed "café" would otherwise be a second room), and hold no character that is invisible
// or unassigned: no format characters (zero-width spaces and joiners, bidi overrides, the BOM),
// no whitespace or separators, no controls, surrogates, private use or unassigned code points.
// Uses utf8proc (Debian's libutf8proc-dev, linked statically): Unicode's tables without ICU's
// data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace videochat::lambdas {

// What is wrong with a room id that has the protocol's shape, or nothing.
std::optional<std::string> room_id_unicode_problem(std::string_view room);

}  // namespace videochat::lambdas
