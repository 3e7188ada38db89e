#include "canonical_request.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "signing_error.hpp"
#include "uri_encode.hpp"

namespace videochat::aws {

namespace {

// RFC 9110 section 5.6.2: the characters of a token, which a field name is.
bool token_character(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::string canonical_name(std::string_view name) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), token_character)) {
    throw SigningError(SigningErrorCode::InvalidHeaderName,
                       "header name \"" + std::string(name) + "\" is not an HTTP token");
  }
  return lower_case(name);
}

// SigV4's Trimall: no leading or trailing blanks, each run of blanks inside one space.
std::string canonical_value(std::string_view name, std::string_view value) {
  std::string trimmed;
  bool pending_space = false;
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') {
      throw SigningError(SigningErrorCode::InvalidHeaderValue,
                         "value of header \"" + std::string(name) +
                             "\" contains CR, LF or NUL; send one value per header instead");
    }
    if (c == ' ' || c == '\t') {
      pending_space = !trimmed.empty();
      continue;
    }
    if (pending_space) trimmed.push_back(' ');
    pending_space = false;
    trimmed.push_back(c);
  }
  return trimmed;
}

}  // namespace

std::string canonical_uri(std::string_view path, std::string_view service) {
  if (service == "s3") return path.empty() ? "/" : std::string(path);
  return uri_encode(normalize_path(path), Slashes::Keep);
}

std::string canonical_query_string(std::span<const QueryParameter> query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& parameter : query) {
    encoded.emplace_back(uri_encode(parameter.name), uri_encode(parameter.value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string text;
  for (const auto& [name, value] : encoded) {
    if (!text.empty()) text.push_back('&');
    text.append(name).append("=").append(value);
  }
  return text;
}

CanonicalHeaders canonical_headers(std::span<const Header> headers) {
  std::vector<std::pair<std::string, std::string>> canonical;
  canonical.reserve(headers.size());
  for (const auto& header : headers) {
    canonical.emplace_back(canonical_name(header.name), canonical_value(header.name, header.value));
  }
  // Stable: a repeated header's values keep the order they were given in.
  std::stable_sort(canonical.begin(), canonical.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders result;
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    const auto& [name, value] = canonical[i];
    const bool same_as_previous = i > 0 && canonical[i - 1].first == name;
    if (same_as_previous) {
      result.lines.back() = ',';  // replaces the previous value's newline
    } else {
      if (!result.signed_headers.empty()) result.signed_headers.push_back(';');
      result.signed_headers.append(name);
      result.lines.append(name).push_back(':');
    }
    result.lines.append(value).push_back('\n');
  }
  return result;
}

}  // namespace videochat::aws
