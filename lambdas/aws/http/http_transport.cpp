#include "http_transport.hpp"

#include <algorithm>
#include <cctype>
#include "ascii_case.hpp"

namespace videochat::aws::http {

std::string_view header_value(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (ascii_iequals(header.name, name)) return header.value;
  }
  return {};
}

}  // namespace videochat::aws::http
