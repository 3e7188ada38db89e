#include "name_policy.hpp"

#include "unicode_text.hpp"

namespace videochat::lambdas {

namespace {

constexpr utf8proc_int32_t kZeroWidthNonJoiner = 0x200C;
constexpr utf8proc_int32_t kZeroWidthJoiner = 0x200D;

bool refused(utf8proc_int32_t code_point, utf8proc_category_t category) {
  switch (category) {
    case UTF8PROC_CATEGORY_CF:  // format: invisible (bidi controls, zero-width space, BOM, ...)
      return code_point != kZeroWidthNonJoiner && code_point != kZeroWidthJoiner;
    case UTF8PROC_CATEGORY_CC:  // controls (C1; C0 never gets this far)
    case UTF8PROC_CATEGORY_CS:  // surrogates
    case UTF8PROC_CATEGORY_CN:  // unassigned
    case UTF8PROC_CATEGORY_ZL:  // line separator
    case UTF8PROC_CATEGORY_ZP:  // paragraph separator
      return true;
    default:
      return false;
  }
}

bool visible(utf8proc_int32_t code_point, utf8proc_category_t category) {
  return category != UTF8PROC_CATEGORY_ZS && category != UTF8PROC_CATEGORY_CF &&
         category != UTF8PROC_CATEGORY_MN && category != UTF8PROC_CATEGORY_ME && code_point != ' ';
}

}  // namespace

std::optional<std::string> name_unicode_problem(std::string_view name) {
  std::optional<std::string> problem;
  bool any_visible = false;
  const bool utf8 =
      for_each_code_point(name, [&](utf8proc_int32_t code_point, utf8proc_category_t category) {
        if (refused(code_point, category)) {
          problem = "name must not contain " + code_point_name(code_point) +
                    " (invisible, a control, a line break or unassigned): it could disguise a name";
          return false;
        }
        any_visible = any_visible || visible(code_point, category);
        return true;
      });
  if (!utf8) return "name must be UTF-8";
  if (problem) return problem;
  if (!any_visible) return "name must have a visible character";
  return std::nullopt;
}

std::string normalized_name(std::string_view name) {
  std::string text = nfc(name).value_or(std::string(name));
  // Spaces at either end: ASCII and the other Unicode spaces (category Zs).
  auto is_space_at = [&](std::size_t at, std::size_t& width) {
    utf8proc_int32_t code_point = 0;
    width = static_cast<std::size_t>(
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + at,
                         static_cast<utf8proc_ssize_t>(text.size() - at), &code_point));
    return width > 0 && utf8proc_category(code_point) == UTF8PROC_CATEGORY_ZS;
  };
  std::size_t start = 0, width = 0;
  while (start < text.size() && is_space_at(start, width)) start += width;
  std::size_t end = start, kept_end = start;
  while (end < text.size()) {
    const bool space = is_space_at(end, width);
    if (width == 0 || width > text.size()) break;
    end += width;
    if (!space) kept_end = end;
  }
  return text.substr(start, kept_end - start);
}

}  // namespace videochat::lambdas
