// The server's Unicode rules for display names, on top of the shape both ends check
// (protocol::check_name: 1 to 64 bytes of UTF-8, no C0 controls). A name is shown on every other
// member's tile and read out by their screen readers, so it must not be able to pass for another
// or hide: no bidi overrides or isolates (U+202E turns "evil.exe" around), no other invisible
// format characters except the joiners that emoji sequences and some scripts need (U+200C,
// U+200D), no C1 controls, line or paragraph separators, surrogates or unassigned code points,
// and at least one visible character. What passes is normalized: NFC, and without spaces at
// either end, so "Ann" typed twice in two ways is one spelling. Uses utf8proc, as room ids do.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace videochat::lambdas {

// What is wrong with a name that has the protocol's shape, or nothing.
std::optional<std::string> name_unicode_problem(std::string_view name);

// The name as members are shown it: NFC, spaces at either end removed. Only for a name without a
// problem.
std::string normalized_name(std::string_view name);

}  // namespace videochat::lambdas
