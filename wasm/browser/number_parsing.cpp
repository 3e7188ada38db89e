// strtod for the browser build: the number's end found in C++ (client/decimal_number), its value
// from JavaScript's Number, which rounds correctly as strtod does. nlohmann/json and the protocol's
// reader call strtod (renamed to this by the top CMakeLists.txt, for the browser build only);
// libc's strtod parses in 128-bit long double, and with its software arithmetic it was about 6 kB
// of the gzip'd .wasm. Only decimal numbers are read (no hex, inf or nan, and no leading spaces):
// JSON has no others, and nothing else in the client calls strtod.
#include <emscripten.h>

#include <cstddef>

#include "decimal_number.hpp"

EM_JS(double, vc_decimal_value, (const char* text, int length),
      { return Number(UTF8ToString(text, length)); });

extern "C" double videochat_strtod(const char* text, char** end) {
  const std::size_t length = videochat::client::decimal_number_length(text);
  if (end != nullptr) *end = const_cast<char*>(text + length);
  return length == 0 ? 0.0 : vc_decimal_value(text, static_cast<int>(length));
}
