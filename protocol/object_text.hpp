// Writes one JSON object with its fields in the order they are added (nlohmann::json sorts them):
// frames keep the tutorial's field order, so the tutorial's frames come out byte for byte.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "json_fields.hpp"

namespace videochat::protocol {

class ObjectText {
 public:
  // `key` is one of the protocol's own names (plain ASCII, written as is); the value is escaped,
  // invalid UTF-8 replaced.
  ObjectText& field(std::string_view key, const nlohmann::json& value) {
    return raw(key, json_fields::dump(value));
  }
  // A value that is already JSON text (a nested object or array written with ObjectText).
  ObjectText& raw(std::string_view key, std::string_view json_text) {
    if (text_.size() > 1) text_ += ',';
    text_ += '"';
    text_ += key;
    text_ += "\":";
    text_ += json_text;
    return *this;
  }
  std::string finish() && {
    text_ += '}';
    return std::move(text_);
  }

 private:
  std::string text_ = "{";
};

}  // namespace videochat::protocol
