// Appends a JSON string literal without building a JSON value: for the per-message paths (the
// `from` splice, the route log line), whose strings are ids the server or API Gateway made.
// Quotes, backslashes and control characters are escaped; other bytes are copied, so text that
// may not be valid UTF-8 (what a client sent) must go through nlohmann::json's replacing dump.
#pragma once

#include <string>
#include <string_view>

namespace videochat::lambdas {

inline void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      out.append("\\u00");
      out.push_back(kDigits[byte >> 4]);
      out.push_back(kDigits[byte & 0x0f]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace videochat::lambdas
