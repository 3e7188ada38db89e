// The canonical forms SigV4 hashes, one function per part of the canonical request, so that each
// can be checked on its own against AWS's published vectors.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace videochat::aws {

struct Header {
  std::string name;
  std::string value;
  friend bool operator==(const Header&, const Header&) = default;
};

// A query parameter as the application means it, not yet percent-encoded.
struct QueryParameter {
  std::string name;
  std::string value;
};

// `path` is the path as sent on the wire. For every service but S3 it is normalized and then
// percent-encoded once more (so API Gateway's "/@connections/abc%3D" is signed as
// "/%40connections/abc%253D"); S3 signs it exactly as sent.
std::string canonical_uri(std::string_view path, std::string_view service);

// Names and values percent-encoded, sorted by name then value, joined "a=1&b=2". It is also the
// query string to send, so what is signed is what goes on the wire.
std::string canonical_query_string(std::span<const QueryParameter> query);

struct CanonicalHeaders {
  std::string lines;           // "host:example.com\nx-amz-date:...\n", one line per name
  std::string signed_headers;  // "host;x-amz-date"
};
// Names lower-cased and sorted; each value trimmed with runs of spaces and tabs made one space;
// values of a repeated name joined by ',' in the order given. Throws SigningError
// (InvalidHeaderName, InvalidHeaderValue) for a header no HTTP request could carry.
CanonicalHeaders canonical_headers(std::span<const Header> headers);

}  // namespace videochat::aws
