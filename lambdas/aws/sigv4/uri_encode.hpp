// Percent-encoding as SigV4 defines it, and the path normalization it asks of every service but
// S3. Also what an adapter uses to put a path segment or a query on the wire, so that what is sent
// and what is signed cannot drift apart.
#pragma once

#include <string>
#include <string_view>

namespace videochat::aws {

enum class Slashes { Encode, Keep };

// Keeps RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~), and '/' when asked; every other
// byte becomes %XX in upper-case hex. UTF-8 is encoded byte by byte.
std::string uri_encode(std::string_view bytes, Slashes slashes = Slashes::Encode);

// RFC 3986 section 5.2.4 (remove "." and ".." segments) plus collapsing repeated slashes, as AWS
// services expect: "//a/./b/../c/" -> "/a/c/". An empty path is "/".
std::string normalize_path(std::string_view path);

}  // namespace videochat::aws
