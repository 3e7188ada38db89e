// The items of a comma-separated setting ("a, b,c"), as flags and environment variables take
// lists of origins or relay URLs: spaces around each item dropped, empty items skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace videochat {

inline std::vector<std::string> comma_list(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    const auto first = item.find_first_not_of(' ');
    if (first != std::string_view::npos) {
      item = item.substr(first, item.find_last_not_of(' ') - first + 1);
      items.emplace_back(item);
    }
    start = comma + 1;
  }
  return items;
}

}  // namespace videochat
