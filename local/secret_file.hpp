// A secret kept in a file (--resume-secret-file, --turn-secret-file): its bytes without the final
// newline that editors and `echo` add, which is not part of the secret.
#pragma once

#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace videochat::local {

// The file's secret, or nothing when it cannot be read.
inline std::optional<std::string> read_secret_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes.pop_back();
  return bytes;
}

}  // namespace videochat::local
