#include "decimal_number.hpp"

namespace videochat::client {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

const char* skip_digits(const char* at) {
  while (is_digit(*at)) ++at;
  return at;
}

}  // namespace

std::size_t decimal_number_length(const char* text) {
  const char* at = text;
  if (*at == '+' || *at == '-') ++at;
  const char* whole_end = skip_digits(at);
  const char* end = whole_end;
  if (*end == '.') end = skip_digits(end + 1);
  const bool has_digits = whole_end > at || end > whole_end + 1;
  if (!has_digits) return 0;
  if (*end == 'e' || *end == 'E') {
    const char* exponent = end + 1;
    if (*exponent == '+' || *exponent == '-') ++exponent;
    const char* exponent_end = skip_digits(exponent);
    if (exponent_end > exponent) end = exponent_end;
  }
  return static_cast<std::size_t>(end - text);
}

}  // namespace videochat::client
