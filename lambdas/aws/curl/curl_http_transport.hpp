// The HTTP transport of the AWS clients: libcurl, with kept-alive connections reused across
// calls and threads (a pool of easy handles), and TLS verified against an explicit CA bundle.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http_transport.hpp"

namespace videochat::aws::http {

class CurlTransport final : public Transport {
 public:
  // `ca_bundle`: the PEM file to verify servers against; nullopt leaves libcurl's built-in
  // default, which on a Lambda image may not exist.
  explicit CurlTransport(std::optional<std::string> ca_bundle);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result send(const Request& request, std::chrono::milliseconds timeout) override;

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  std::optional<std::string> ca_bundle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

}  // namespace videochat::aws::http
