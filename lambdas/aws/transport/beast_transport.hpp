// The HTTP transport of the Lambda function (Runtime API, DynamoDB, @connections, SSM) and of the
// local server's AWS clients: HTTP/1.1 over Boost.Beast, TLS by mbedTLS (tls_client.hpp), nothing
// else. Its promises:
// - servers are verified: the chain against the CA certificates, the name (or IP address)
//   against the URL's host; TLS 1.2 at least;
// - connections are kept alive and reused across calls and threads, per origin;
// - a call that fails on a reused connection before any byte of the answer arrived goes out once
//   more on a new connection (the server had closed the idle one, so the request never reached
//   it); every other failure is returned, never retried here: a POST to @connections is not
//   idempotent, and the callers own their retry policies;
// - every call ends by its timeout: connect, TLS handshake, write and read share one deadline.
//   Name resolution is getaddrinfo's, bounded by the resolver's configuration (resolv.conf).
//   After the connect, reads and writes are synchronous, each bounded by poll(2) (socket_io.hpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http_transport.hpp"
#include "http_url.hpp"
#include "tls_client.hpp"

namespace videochat::aws::http {

struct TransportOptions {
  // False: plain HTTP only (the Runtime API), with no TLS set-up to pay for at start.
  bool tls = true;
  // Where the CAs servers are verified against are, read at construction: a PEM bundle, else the
  // hash-named files of a directory (ca_directory.hpp). With neither, no server verifies.
  std::optional<std::string> ca_bundle;
  std::optional<std::string> ca_directory;
  // Idle connections kept per origin (scheme, host, port); more are closed as they come back.
  std::size_t max_idle_per_origin = 8;
  // The largest answer body accepted; a larger one fails the call.
  std::size_t max_body_bytes = 16 * 1024 * 1024;
};

class BeastTransport final : public Transport {
 public:
  // Reads the CA certificates now; throws std::runtime_error naming the file when it cannot: an
  // init error, not a surprise on the first call.
  explicit BeastTransport(TransportOptions options = {});
  ~BeastTransport() override;
  BeastTransport(const BeastTransport&) = delete;
  BeastTransport& operator=(const BeastTransport&) = delete;

  Result send(const Request& request, std::chrono::milliseconds timeout) override;

  // Connects to `url`'s origin now (TCP, then TLS for https) and keeps the connection for the
  // next call there: init's way of sparing the first invocation the set-up. On failure, says
  // why; the next call then connects by itself.
  std::optional<Failure> preconnect(const std::string& url, std::chrono::milliseconds timeout);

  // TCP connections opened since construction.
  std::size_t connections_opened() const { return opened_.load(); }

 private:
  class Connection;

  // A new connection to `url`'s origin, counted, or why there is none.
  std::variant<std::unique_ptr<Connection>, Failure> connect(
      const Url& url, std::chrono::steady_clock::time_point deadline);
  std::unique_ptr<Connection> take_idle(const std::string& origin);
  void keep_idle(std::unique_ptr<Connection> connection);

  TransportOptions options_;
  std::unique_ptr<TlsClientConfig> tls_;  // null when options_.tls is false
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;  // most recently used last
  std::atomic<std::size_t> opened_{0};
};

}  // namespace videochat::aws::http
