#include "http_transport.hpp"

#include <algorithm>
#include <cctype>

namespace videochat::aws::http {

std::string_view header_value(const std::vector<Header>& headers, std::string_view name) {
  auto same = [](std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) ==
             std::tolower(static_cast<unsigned char>(y));
    });
  };
  for (const auto& header : headers) {
    if (same(header.name, name)) return header.value;
  }
  return {};
}

}  // namespace videochat::aws::http
