// Finding a CA directory in OpenSSL's hashed layout (one file per certificate, named by its
// subject's hash: "3513523f.0", as c_rehash and update-ca-certificates make them). Given one,
// OpenSSL reads only the certificates a handshake needs; a bundle file is parsed whole at start
// (about 140 certificates: several milliseconds, the largest part of a cold start).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace videochat::aws::http {

// Amazon Linux's (when its ca-certificates has one), then Debian's. A folder of the same name
// without hashed names (Amazon Linux's /etc/ssl/certs holds only the bundle) does not count.
inline constexpr std::string_view kHashedCaDirectories[] = {
    "/etc/pki/ca-trust/extracted/pem/directory-hash",
    "/etc/ssl/certs",
};

// The first of `candidates` holding at least one hash-named entry, or nullopt.
std::optional<std::string> find_hashed_ca_directory(
    std::initializer_list<std::string_view> candidates = {kHashedCaDirectories[0],
                                                          kHashedCaDirectories[1]});

// "3513523f.0", "9d04f354.1": eight lowercase hex digits, a dot, a decimal number.
bool is_hashed_certificate_name(std::string_view name);

}  // namespace videochat::aws::http
