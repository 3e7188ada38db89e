// ASCII case folding, for names that are case-insensitive on the wire (HTTP header names, file
// extensions). Bytes outside A-Z are kept as they are, whatever the locale.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace videochat {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return ascii_lower(c); });
  return out;
}

inline bool ascii_iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

}  // namespace videochat
