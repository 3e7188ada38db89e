#include "unicode_text.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace videochat::lambdas {

bool for_each_code_point(std::string_view text,
                         const std::function<bool(utf8proc_int32_t, utf8proc_category_t)>& each) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  for (utf8proc_ssize_t at = 0; at < size;) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + at, size - at, &code_point);
    if (length <= 0) return false;
    if (!each(code_point, utf8proc_category(code_point))) return true;
    at += length;
  }
  return true;
}

std::string code_point_name(utf8proc_int32_t code_point) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(code_point));
  return text;
}

std::optional<std::string> nfc(std::string_view text) {
  utf8proc_uint8_t* normalized = nullptr;
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &normalized,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) return std::nullopt;
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(normalized, &std::free);
  return std::string(reinterpret_cast<const char*>(normalized), static_cast<std::size_t>(length));
}

}  // namespace videochat::lambdas
