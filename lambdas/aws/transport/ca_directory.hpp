// Finding a CA directory in OpenSSL's hashed layout (one file per certificate, named by its
// subject's hash: "3513523f.0", as c_rehash and update-ca-certificates make them): where the
// CA certificates are on a host that has no bundle file. The transport reads the hash-named
// files only, so each certificate once (Debian's folder also has them under their own names).
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
