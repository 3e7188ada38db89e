// Where a decimal number at the start of a text ends: the part of strtod's job that the browser
// build does itself (browser/number_parsing.cpp hands the digits to JavaScript's Number).
#pragma once

#include <cstddef>

namespace videochat::client {

// The length of the longest prefix of `text` of the form [+-]digits[.digits][(e|E)[+-]digits]
// (digits before or after the point, at least one); 0 when `text` does not start with a number.
// An exponent without digits is not part of the number ("1e" is 1 followed by "e"), as in strtod.
std::size_t decimal_number_length(const char* text);

}  // namespace videochat::client
