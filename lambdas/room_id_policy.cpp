#include "room_id_policy.hpp"

#include <utf8proc.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace videochat::lambdas {

namespace {

bool refused_category(utf8proc_category_t category) {
  switch (category) {
    case UTF8PROC_CATEGORY_CC:  // controls
    case UTF8PROC_CATEGORY_CF:  // format: invisible
    case UTF8PROC_CATEGORY_CS:  // surrogates
    case UTF8PROC_CATEGORY_CO:  // private use
    case UTF8PROC_CATEGORY_CN:  // unassigned
    case UTF8PROC_CATEGORY_ZS:  // spaces
    case UTF8PROC_CATEGORY_ZL:  // line separator
    case UTF8PROC_CATEGORY_ZP:  // paragraph separator
      return true;
    default:
      return false;
  }
}

std::string code_point_name(utf8proc_int32_t code_point) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(code_point));
  return text;
}

}  // namespace

std::optional<std::string> room_id_unicode_problem(std::string_view room) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(room.data());
  const auto size = static_cast<utf8proc_ssize_t>(room.size());
  for (utf8proc_ssize_t at = 0; at < size;) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + at, size - at, &code_point);
    if (length <= 0) return "roomId must be UTF-8";
    if (refused_category(utf8proc_category(code_point))) {
      return "roomId must not contain " + code_point_name(code_point) +
             " (invisible, a space, a control or unassigned)";
    }
    at += length;
  }
  utf8proc_uint8_t* normalized = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(
      bytes, size, &normalized, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) return std::string("roomId: ") + utf8proc_errmsg(length);
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(normalized, &std::free);
  if (std::string_view(reinterpret_cast<const char*>(normalized),
                       static_cast<std::size_t>(length)) != room) {
    return "roomId must be in Unicode normalization form C (NFC)";
  }
  return std::nullopt;
}

}  // namespace videochat::lambdas
