#include "room_id_policy.hpp"

#include "unicode_text.hpp"

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

}  // namespace

std::optional<std::string> room_id_unicode_problem(std::string_view room) {
  std::optional<std::string> problem;
  const bool utf8 =
      for_each_code_point(room, [&](utf8proc_int32_t code_point, utf8proc_category_t category) {
        if (!refused_category(category)) return true;
        problem = "roomId must not contain " + code_point_name(code_point) +
                  " (invisible, a space, a control or unassigned)";
        return false;
      });
  if (!utf8) return "roomId must be UTF-8";
  if (problem) return problem;
  if (nfc(room) != room) return "roomId must be in Unicode normalization form C (NFC)";
  return std::nullopt;
}

}  // namespace videochat::lambdas
