// What the parsers of untrusted text return: the typed value, or why the text was refused.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace videochat::protocol {

enum class ParseProblem {
  NotJson,      // the text is not JSON at all
  NotAnObject,  // JSON, but not an object
  UnknownType,  // an object whose "type" this client does not know; ignored, not an error
  BadField,     // a known type with a field missing or of the wrong type
};

inline std::string_view to_string(ParseProblem problem) {
  switch (problem) {
    case ParseProblem::NotJson:
      return "not_json";
    case ParseProblem::NotAnObject:
      return "not_an_object";
    case ParseProblem::UnknownType:
      return "unknown_type";
    case ParseProblem::BadField:
      return "bad_field";
  }
  return "bad_field";
}

struct ParseError {
  ParseProblem problem;
  std::string detail;  // for a log reader, e.g. "offer.sdp must be a string"

  friend bool operator==(const ParseError&, const ParseError&) = default;
};

template <class T>
using Parsed = std::variant<T, ParseError>;

}  // namespace videochat::protocol
