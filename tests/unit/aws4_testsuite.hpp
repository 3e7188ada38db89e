// Reads AWS's Signature Version 4 test suite (tests/data/aws4_testsuite, see its README) into the
// signer's types: a case's raw HTTP request (.req) becomes an HttpRequest and SigningParams, and
// its published canonical request, string to sign and Authorization come along to compare with.
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sigv4.hpp"

namespace videochat::test::aws4_testsuite {

inline const std::filesystem::path kRoot =
    std::filesystem::path(VIDEOCHAT_TEST_DATA) / "aws4_testsuite";

// The suite's fixed inputs, from its documentation.
inline constexpr std::string_view kAccessKeyId = "AKIDEXAMPLE";
inline constexpr std::string_view kSecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kRegion = "us-east-1";
inline constexpr std::string_view kService = "service";

struct Case {
  std::string name;  // "get-vanilla", "normalize-path/get-space"
  aws::HttpRequest request;
  aws::SigningParams params;
  std::string canonical_request;  // .creq
  std::string string_to_sign;     // .sts
  std::string authorization;      // .authz
};

// Every case in the suite, by name: each folder holding a <folder name>.req.
inline std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot)) {
    const auto& path = entry.path();
    if (path.extension() == ".req" && path.stem() == path.parent_path().filename()) {
      names.push_back(path.parent_path().lexically_relative(kRoot).generic_string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline std::filesystem::path case_file(std::string_view name, std::string_view extension) {
  const std::filesystem::path folder = kRoot / std::filesystem::path(name);
  return folder / (folder.filename().string() + std::string(extension));
}

// The file's bytes, without the carriage returns some copies of the suite carry.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  std::erase(content, '\r');
  return content;
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A query component as the server reads it: %XX decoded, everything else (even '+') as is.
inline std::string percent_decode(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

inline std::vector<aws::QueryParameter> parse_query(std::string_view query) {
  std::vector<aws::QueryParameter> parameters;
  while (!query.empty()) {
    const auto end = std::min(query.find('&'), query.size());
    const auto pair = query.substr(0, end);
    const auto equals = std::min(pair.find('='), pair.size());
    parameters.push_back({percent_decode(pair.substr(0, equals)),
                          percent_decode(pair.substr(std::min(equals + 1, pair.size())))});
    query.remove_prefix(std::min(end + 1, query.size()));
  }
  return parameters;
}

// The signer sets Host, X-Amz-Date and X-Amz-Security-Token itself, so those headers of the raw
// request become the request's host, the signing time and the session token.
inline Case load(const std::string& name) {
  // The head (request line and headers) ends at the first empty line; the body is the rest.
  const std::string raw = read_file(case_file(name, ".req"));
  const auto blank_line = std::min(raw.find("\n\n"), raw.size());
  const auto lines = split_lines(raw.substr(0, blank_line));
  if (lines.empty()) throw std::runtime_error(name + ".req is empty");

  // "GET /example space/ HTTP/1.1": the target may hold spaces, so it runs to the last one.
  const std::string& request_line = lines.front();
  const auto first_space = request_line.find(' ');
  const auto last_space = request_line.rfind(' ');
  if (first_space == std::string::npos || last_space <= first_space) {
    throw std::runtime_error(name + ".req: bad request line \"" + request_line + "\"");
  }
  const std::string target = request_line.substr(first_space + 1, last_space - first_space - 1);
  const auto question = std::min(target.find('?'), target.size());

  aws::HttpRequest request;
  request.method = request_line.substr(0, first_space);
  request.path = target.substr(0, question);
  request.query =
      parse_query(std::string_view(target).substr(std::min(question + 1, target.size())));

  aws::Credentials credentials{std::string(kAccessKeyId), std::string(kSecretAccessKey), {}};
  std::optional<aws::AmzDate> time;
  for (std::size_t line = 1; line < lines.size(); ++line) {
    if (lines[line].front() == ' ' || lines[line].front() == '\t') {
      // Obsolete line folding: kept as the folded value it is, for the signer to judge.
      if (request.headers.empty()) throw std::runtime_error(name + ".req: folding with no header");
      request.headers.back().value += "\n" + lines[line];
      continue;
    }
    const auto colon = lines[line].find(':');
    if (colon == std::string::npos) throw std::runtime_error(name + ".req: bad header line");
    std::string header_name = lines[line].substr(0, colon);
    std::string value = lines[line].substr(colon + 1);
    std::string lower = header_name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "host") {
      request.host = value;
    } else if (lower == "x-amz-date") {
      time = aws::AmzDate::parse(value);
    } else if (lower == "x-amz-security-token") {
      credentials.session_token = value;
    } else {
      request.headers.push_back({std::move(header_name), std::move(value)});
    }
  }
  if (!time) throw std::runtime_error(name + ".req: no valid X-Amz-Date");
  if (blank_line < raw.size()) request.body = raw.substr(blank_line + 2);

  return Case{name,
              std::move(request),
              aws::SigningParams{std::move(credentials), std::string(kRegion),
                                 std::string(kService), *time},
              read_file(case_file(name, ".creq")),
              read_file(case_file(name, ".sts")),
              read_file(case_file(name, ".authz"))};
}

}  // namespace videochat::test::aws4_testsuite
