// The Lambda Runtime API over HTTP (http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/...).
#pragma once

#include <string>

#include "http_transport.hpp"
#include "runtime_loop.hpp"

namespace videochat::runtime {

class HttpRuntimeApi final : public RuntimeApi {
 public:
  // `host`: the value of AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001").
  HttpRuntimeApi(aws::http::Transport& transport, const std::string& host);

  std::optional<Invocation> next() override;
  bool respond(const std::string& request_id, const std::string& body) override;
  bool fail(const std::string& request_id, const std::string& error_type,
            const std::string& message) override;
  void init_error(const std::string& error_type, const std::string& message) override;

 private:
  bool post(const std::string& path, const std::string& body,
            std::vector<aws::http::Header> headers = {});

  aws::http::Transport& transport_;
  std::string base_;
};

}  // namespace videochat::runtime
