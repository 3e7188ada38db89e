#include "connection_id.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

#include "secure_random.hpp"

namespace videochat::local {

std::string base64url_padded(std::span<const unsigned char> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    unsigned v = bytes[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

namespace {
template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> bytes{};
  fill_random(bytes);
  return bytes;
}
}  // namespace

std::string new_connection_id() { return base64url_padded(random_bytes<11>()); }

std::string new_request_id() {
  // Request ids must be unique, not secret: a per-thread generator seeded once from the kernel
  // saves a system call per message.
  thread_local std::uint64_t state = [] {
    auto seed = random_bytes<8>();
    std::uint64_t value = 0;
    for (unsigned char byte : seed) value = (value << 8) | byte;
    return value;
  }();
  thread_local std::uint64_t counter = 0;
  // splitmix64 over a per-thread counter: distinct outputs for distinct inputs.
  std::uint64_t z = state + 0x9E3779B97F4A7C15ULL * ++counter;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  std::array<unsigned char, 12> bytes{};
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(z >> (8 * i));
  for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<unsigned char>(counter >> (8 * i));
  return base64url_padded(bytes);
}

}  // namespace videochat::local
