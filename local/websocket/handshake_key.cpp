#include "handshake_key.hpp"

#include <algorithm>

namespace videochat::local {

namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

bool is_valid_websocket_key(std::string_view key) {
  // 16 bytes are 22 base64 digits and "==": the last digit carries 2 bits, so its low 4 are zero.
  if (key.size() != 24 || !key.ends_with("==")) return false;
  const std::string_view digits = key.substr(0, 22);
  if (!std::all_of(digits.begin(), digits.end(),
                   [](char c) { return kBase64Alphabet.find(c) != std::string_view::npos; })) {
    return false;
  }
  return (kBase64Alphabet.find(digits.back()) & 0x0f) == 0;
}

}  // namespace videochat::local
