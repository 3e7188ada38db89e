#include "ca_directory.hpp"

#include <algorithm>
#include <filesystem>

namespace videochat::aws::http {

bool is_hashed_certificate_name(std::string_view name) {
  if (name.size() < 10 || name[8] != '.') return false;
  const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return std::all_of(name.begin(), name.begin() + 8, hex) &&
         std::all_of(name.begin() + 9, name.end(), digit);
}

std::optional<std::string> find_hashed_ca_directory(
    std::initializer_list<std::string_view> candidates) {
  for (std::string_view candidate : candidates) {
    std::error_code error;
    std::filesystem::directory_iterator entries(candidate, error);
    if (error) continue;  // absent or unreadable: the next candidate
    for (const auto& entry : entries) {
      if (is_hashed_certificate_name(entry.path().filename().string())) {
        return std::string(candidate);
      }
    }
  }
  return std::nullopt;
}

}  // namespace videochat::aws::http
