// Typed reads of fields in untrusted JSON, for the core's parsers only: each returns nothing
// rather than throw when a field is absent or has the wrong type.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace videochat::client::detail {

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

// Text for JSON built by the core. Invalid UTF-8 is replaced rather than thrown on: a dump must
// never throw out of the core.
inline std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace videochat::client::detail
