#include "http_target.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace videochat::local {

Target split_target(std::string_view target) {
  auto question = target.find('?');
  if (question == std::string_view::npos) return {std::string(target), {}};
  return {std::string(target.substr(0, question)), std::string(target.substr(question + 1))};
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (name && value && !name->empty()) out[*name] = *value;
  }
  return out;
}

std::optional<std::string> static_file_path(std::string_view root, std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  auto decoded = percent_decode(path);
  if (!decoded) return std::nullopt;
  const std::string& p = *decoded;
  if (p.find('\0') != std::string::npos || p.find('\\') != std::string::npos) return std::nullopt;
  // Refuse any ".." segment outright rather than normalizing: nothing legitimate needs one.
  std::size_t start = 0;
  while (start < p.size()) {
    std::size_t slash = p.find('/', start);
    if (slash == std::string::npos) slash = p.size();
    std::string_view segment(p.data() + start, slash - start);
    if (segment == "..") return std::nullopt;
    start = slash + 1;
  }
  std::string file(root);
  while (!file.empty() && file.back() == '/') file.pop_back();
  file += p;
  if (file.back() == '/') file += "index.html";
  return file;
}

std::string_view mime_type(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  auto dot = file_name.rfind('.');
  auto slash = file_name.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string ext = ascii_lower(file_name.substr(dot));
  for (const auto& [known, type] : kTypes) {
    if (known == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace videochat::local
