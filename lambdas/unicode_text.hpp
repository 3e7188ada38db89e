// The few Unicode operations the server's text rules share (room ids, display names), over
// utf8proc: walking code points with their categories, naming a code point, and NFC.
#pragma once

#include <utf8proc.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace videochat::lambdas {

// Calls `each(code_point, category)` for every code point until it returns false. Returns false
// when `text` is not UTF-8.
bool for_each_code_point(std::string_view text,
                         const std::function<bool(utf8proc_int32_t, utf8proc_category_t)>& each);

// "U+202E": how a refusal names the character.
std::string code_point_name(utf8proc_int32_t code_point);

// `text` in Unicode normalization form C; nothing when it is not UTF-8.
std::optional<std::string> nfc(std::string_view text);

}  // namespace videochat::lambdas
