// The TLS side of videochat-local's one port: a server context made from the operator's PEM
// files, TLS 1.3 only, that refuses a handshake naming (by SNI) a host its certificate does not
// cover. Made once at start; any problem with the files stops the server with the reason.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace videochat::local {

struct TlsSetup {
  std::shared_ptr<boost::asio::ssl::context> context;
  std::vector<std::string> names;  // the certificate's DNS names and IP addresses
  std::string not_after;           // when it expires, as OpenSSL prints it
};

std::variant<TlsSetup, std::string> make_tls_context(const std::string& cert_file,
                                                     const std::string& key_file);

// Why the connection's certificate does not suit the host name the client asked for in its
// handshake (SNI), or "" if it does or the client named none.
std::string server_name_problem(SSL* ssl);
// The host name the client asked for, or "" if it named none.
std::string requested_server_name(SSL* ssl);

}  // namespace videochat::local
