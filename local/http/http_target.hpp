// Pure helpers for request targets: percent-decoding, query strings, static file paths.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include "ascii_case.hpp"
#include "text_encoding.hpp"

namespace videochat::local {

// Decodes %XX escapes (and '+' as space when `plus_is_space`); nothing on a malformed escape.
using protocol::percent_decode;

struct Target {
  std::string path;   // still percent-encoded
  std::string query;  // without the '?'
};
Target split_target(std::string_view target);

// Query parameters, decoded; the last of repeated names wins, as in API Gateway's
// queryStringParameters. Malformed pairs are skipped.
std::map<std::string, std::string> parse_query(std::string_view query);

// The file below `root` that a GET of `path` names, or nothing when the path is malformed or
// tries to leave the root ("..", NUL, backslash). "/" and directories map to index.html.
std::optional<std::string> static_file_path(std::string_view root, std::string_view path);


// The Content-Type for a file name, from its extension.
std::string_view mime_type(std::string_view file_name);

}  // namespace videochat::local
