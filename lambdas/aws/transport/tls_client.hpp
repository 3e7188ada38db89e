// TLS for the HTTP transport, by mbedTLS: a client configuration every connection shares, and
// one session per connection over its socket.
//
// mbedTLS rather than OpenSSL because of the Lambda's cold start: OpenSSL 3.0 loads its
// providers on first use (about 2 ms for the first digest, 1.5 more for SSL_CTX_new, which
// fetches every cipher it knows), where mbedTLS sets up in microseconds. docs/aws.md has the
// figures.
//
// What is checked: TLS 1.2 or later; the server's chain against the CA certificates; its name
// against the URL's host (SNI sent), or, for an IP address, the certificate's iPAddress names.
#pragma once

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "socket_io.hpp"

namespace videochat::aws::http {

class TlsClientConfig {
 public:
  // Parses the CA certificates now: the bundle file when given, else the hash-named files
  // ("3513523f.0") of the directory. Throws std::runtime_error naming the file that could not be
  // read. With neither, no server verifies, and every handshake says so.
  TlsClientConfig(const std::optional<std::string>& ca_bundle,
                  const std::optional<std::string>& ca_directory);
  ~TlsClientConfig();
  TlsClientConfig(const TlsClientConfig&) = delete;
  TlsClientConfig& operator=(const TlsClientConfig&) = delete;

  // The number of CA certificates servers are verified against.
  std::size_t trusted_count() const;

 private:
  friend class TlsSession;
  struct State;
  std::unique_ptr<State> state_;
};

// One TLS session on a connected, non-blocking socket. Reads, writes and the handshake end by
// the deadline last set.
class TlsSession {
 public:
  TlsSession(TlsClientConfig& config, int fd);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  void set_deadline(Deadline deadline);

  // The handshake with `host` (a name or an IP address), verified as above. nullopt when it
  // succeeded; else why not, in words ("certificate not trusted: hostname mismatch"), with
  // `timed_out` set when the deadline ended it.
  std::optional<std::string> handshake(const std::string& host, bool& timed_out);

  // As socket_read and socket_write, through TLS; a TLS error has the category "mbedtls".
  std::size_t read_some(void* data, std::size_t size, boost::system::error_code& error);
  std::size_t write_some(const void* data, std::size_t size, boost::system::error_code& error);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace videochat::aws::http
