// One HTTP connection from a function process to its Runtime API endpoint: reads each request,
// hands it to the LambdaPool, and writes the answer; GET /invocation/next is answered only when
// the pool hands the process an invocation (a long poll, as on Lambda). The same port stands in
// for SSM's endpoint (the process's AWS_ENDPOINT_URL_SSM): POST / with an AmazonSSM target is
// answered by local_ssm.hpp.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>
#include <string_view>

#include "invocation_scheduler.hpp"

namespace videochat::local::lambda {

class LambdaPool;
struct NextInvocation;

class RuntimeApiSession final : public std::enable_shared_from_this<RuntimeApiSession> {
 public:
  RuntimeApiSession(std::weak_ptr<LambdaPool> pool, ChildId child,
                    boost::asio::ip::tcp::socket&& socket);
  void run();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void send_invocation(NextInvocation invocation);
  void send(unsigned status, std::string body,
            std::string_view content_type = "application/json");
  // Every answer: keep-alive as the request asked, kept alive until written.
  void write(std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);

  std::weak_ptr<LambdaPool> pool_;
  const ChildId child_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  std::shared_ptr<void> response_;
};

}  // namespace videochat::local::lambda
