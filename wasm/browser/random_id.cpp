#include "random_id.hpp"

#include <emscripten/val.h>

namespace videochat::browser {

std::string random_id() {
  emscripten::val bytes = emscripten::val::global("Uint8Array").new_(16);
  emscripten::val::global("crypto").call<void>("getRandomValues", bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 16; ++i) {
    const int byte = bytes[i].as<int>();
    id += kHex[byte >> 4];
    id += kHex[byte & 15];
  }
  return id;
}

}  // namespace videochat::browser
