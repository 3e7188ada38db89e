// Typed reads of fields in untrusted JSON, for the protocol's parsers and the client's peer
// messages: each returns nothing rather than throw when a field is absent or has the wrong type.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace videochat::protocol::json_fields {

// The string at `key`, or null when the field is absent or not a string.
inline const std::string* string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

// A field that may be absent or null (both read as "no value") but otherwise must have one type;
// `ok` is false when the field is present with another type.
template <class T>
struct NullableField {
  bool ok = true;
  std::optional<T> value;
};

inline NullableField<std::string> nullable_string_field(const nlohmann::json& object,
                                                        const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) return {false, std::nullopt};
  return {true, it->get<std::string>()};
}

inline NullableField<std::uint16_t> nullable_uint16_field(const nlohmann::json& object,
                                                          const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_number_unsigned()) return {false, std::nullopt};
  auto number = it->get<std::uint64_t>();
  if (number > std::numeric_limits<std::uint16_t>::max()) return {false, std::nullopt};
  return {true, static_cast<std::uint16_t>(number)};
}

// Text for JSON we build. Invalid UTF-8 (a name or message may quote what a client sent) is
// replaced rather than thrown on: writing a frame must never throw.
template <class Json>
std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace videochat::protocol::json_fields
