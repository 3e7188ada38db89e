// The browser build's strtod finds a number's end here and lets JavaScript convert the digits:
// the ends must be strtod's for every form our JSON parsers hand it, and for the odd ones.
#include "decimal_number.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

using videochat::client::decimal_number_length;

TEST_CASE("a decimal number ends where strtod says it does") {
  for (const std::string text :
       {"0",        "-0",       "42",    "-17",   "+5",    "3.25", "-0.001", "1e3",  "1E-7",
        "6.02e+23", "2.5e-308", "1e999", "12abc", "1.5.2", "1e",   "1e+",    "1.e5", ".5",
        "-.5e2",    "5.",       "007",   "1,5",   "0.1}",  "123]", "-1e-2,"}) {
    CAPTURE(text);
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    CHECK(decimal_number_length(text.c_str()) == static_cast<std::size_t>(end - text.c_str()));
  }
}

TEST_CASE("what is not a number has no length") {
  for (const char* text : {"", "-", "+", ".", "-.", "e5", "abc", ".e1"}) {
    CAPTURE(text);
    CHECK(decimal_number_length(text) == 0);
  }
}
