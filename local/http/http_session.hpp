// One HTTP connection to videochat-local: serves the client's static files and /config.json,
// answers the @connections management API, and hands WebSocket upgrades at /{stage} to a
// WebSocketSession once the $connect route accepts them.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>

#include "http_target.hpp"
#include "loop_stream.hpp"
#include "server_context.hpp"
#include "websocket_session.hpp"

namespace videochat::local {

class HttpSession final : public std::enable_shared_from_this<HttpSession> {
 public:
  // `slot`: the connection's place under the server's connection limits, held until it closes
  // (by the WebSocket session, once upgraded).
  HttpSession(ServerContext& context, LoopSocket&& socket, std::shared_ptr<void> slot);
  void run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void upgrade(Request request);
  // What an ordinary (not upgrade) request gets: the management API, config.json, a file.
  void serve(const Request& request);
  void serve_management(const Request& request, const Target& target,
                        std::string_view prefix);
  void serve_file(const Request& request, const Target& target);
  void on_connect_route(Request request, ConnectInfo info, RouteOutcome outcome);

  template <class Response>
  void send(Response&& response);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);

  ServerContext& context_;
  LoopStream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;  // the response being written
  std::string remote_ip_;
  std::shared_ptr<void> slot_;
};

}  // namespace videochat::local
