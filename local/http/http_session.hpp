// One HTTP connection to videochat-local: serves the client's static files and /config.json,
// answers the @connections management API, and hands WebSocket upgrades at /{stage} to a
// WebSocketSession once the $connect route accepts them. `Stream` is LoopStream (plain HTTP) or
// TlsStream (HTTPS, with --tls-cert); start_http_session picks which for a new connection.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "http_target.hpp"
#include "loop_stream.hpp"
#include "server_context.hpp"
#include "websocket_session.hpp"

namespace videochat::local {

// Serves a freshly accepted connection. Without `tls`, as HTTP. With it, the first bytes decide:
// a TLS handshake is answered with TLS; anything else is read as HTTP and told to use https://
// (but for the management API, asked on the loopback interface: the Lambda mode's function
// processes reach it that way, as they would reach API Gateway's).
void start_http_session(ServerContext& context, LoopSocket&& socket, std::shared_ptr<void> slot,
                        const std::shared_ptr<boost::asio::ssl::context>& tls);

template <class Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  // `slot`: the connection's place under the server's connection limits, held until it closes
  // (by the WebSocket session, once upgraded). `read_ahead`: bytes already read from the client.
  HttpSession(ServerContext& context, Stream&& stream, std::shared_ptr<void> slot,
              boost::beast::flat_buffer read_ahead);
  void run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  void begin();
  void on_handshake(boost::beast::error_code ec, std::size_t bytes_used);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void upgrade(Request request);
  // What an ordinary (not upgrade) request gets: the management API, config.json, a file.
  void serve(const Request& request);
  // A plain request on the TLS port: the https:// address it meant.
  void redirect_to_https(const Request& request);
  bool is_management_on_loopback(const Request& request) const;
  void serve_management(const Request& request, const Target& target,
                        std::string_view prefix);
  void serve_file(const Request& request, const Target& target);
  void on_connect_route(Request request, ConnectInfo info, RouteOutcome outcome);

  template <class Response>
  void send(Response&& response);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  // After the last response: TLS's close_notify, then the TCP half-close.
  void end_connection();

  ServerContext& context_;
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;  // the response being written
  std::string remote_ip_;
  std::shared_ptr<void> slot_;
};

}  // namespace videochat::local
