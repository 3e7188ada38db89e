#include "http_session.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "client_config.hpp"
#include "connection_id.hpp"
#include "handshake_key.hpp"
#include "http_target.hpp"
#include "management_api.hpp"
#include "management_auth.hpp"
#include "management_guard.hpp"
#include "site_headers.hpp"
#include "tls_context.hpp"
#include "websocket_session.hpp"

namespace videochat::local {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(30);
// For the bytes that tell TLS from HTTP, the TLS handshake, and TLS's goodbye.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// Large enough for a management API POST just over the message limit, so it can be answered 413
// in AWS's words rather than cut off.
constexpr std::uint64_t kRequestBodyLimit = 1024 * 1024;

template <class Body>
void common_headers(http::response<Body>& response) {
  response.set(http::field::server, "videochat-local");
  response.set("X-Content-Type-Options", "nosniff");
  // A development server: always revalidate, so a rebuilt client is picked up on reload.
  response.set(http::field::cache_control, "no-cache");
}

// The site's files: our page's CSP, and CORS so that any page can load the widget.
template <class Body>
void site_headers(http::response<Body>& response, const Options& options) {
  response.set("Content-Security-Policy", site_content_security_policy(options.frame_ancestors));
  response.set(http::field::access_control_allow_origin, "*");
}

HttpResponse text_response(const HttpRequest& request, http::status status,
                           std::string_view content_type, std::string body) {
  HttpResponse response{status, request.version()};
  response.set(http::field::content_type, content_type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  if (request.method() == http::verb::head) response.body().clear();
  return response;
}

HttpResponse json_error(const HttpRequest& request, http::status status, std::string message) {
  return text_response(request, status, "application/json",
                       nlohmann::json{{"error", std::move(message)}}.dump());
}

}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(ServerContext& context, Stream&& stream,
                                 std::shared_ptr<void> slot, beast::flat_buffer read_ahead)
    : context_(context),
      stream_(std::move(stream)),
      buffer_(std::move(read_ahead)),
      slot_(std::move(slot)) {
  beast::error_code ec;
  auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  if (!ec) {
    remote_ip_ = remote.address().to_string();
  }
}

template <class Stream>
void HttpSession<Stream>::run() {
  // Start on the connection's own loop (the accept ran on loop 0's).
  net::dispatch(beast::get_lowest_layer(stream_).get_executor(),
                beast::bind_front_handler(&HttpSession::begin, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::begin() {
  if constexpr (kTls) {
    // The ClientHello's first bytes are in buffer_ already (they told TLS from plain HTTP).
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_handshake(
        ssl::stream_base::server, buffer_.data(),
        beast::bind_front_handler(&HttpSession::on_handshake, this->shared_from_this()));
  } else {
    do_read();
  }
}

template <class Stream>
void HttpSession<Stream>::on_handshake(beast::error_code ec, std::size_t bytes_used) {
  if constexpr (kTls) {
    if (ec) {
      // A scanner's garbage, a client that does not trust the certificate, a name the
      // certificate does not cover: this connection ends, and one line (at most one a second)
      // says why.
      SSL* ssl = stream_.native_handle();
      const std::string name_problem = server_name_problem(ssl);
      nlohmann::json line{{"event", "tls_handshake_failed"},
                          {"sourceIp", remote_ip_},
                          {"error", name_problem.empty() ? ec.message() : name_problem}};
      if (auto name = requested_server_name(ssl); !name.empty()) line["serverName"] = name;
      context_.log_throttled(LogKind::TlsHandshakeFailed, std::move(line));
      beast::get_lowest_layer(stream_).close();
      return;
    }
    buffer_.consume(bytes_used);
    do_read();
  }
}

template <class Stream>
void HttpSession<Stream>::do_read() {
  parser_.emplace();
  parser_->body_limit(kRequestBodyLimit);
  beast::get_lowest_layer(stream_).expires_after(kRequestTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::on_read(beast::error_code ec, std::size_t) {
  // (stream_truncated: a TLS client that closed without saying so, as browsers do.)
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset ||
      ec == ssl::error::stream_truncated) {
    beast::get_lowest_layer(stream_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    return;
  }
  if (ec) {
    HttpRequest request{http::verb::get, "/", 11};
    request.keep_alive(false);
    if (ec == http::error::body_limit) {
      send(aws_error(
          request, http::status::payload_too_large, "PayloadTooLargeException",
          "the request body is larger than " + std::to_string(kRequestBodyLimit) + " bytes"));
    } else {
      send(json_error(request, http::status::bad_request,
                      "malformed HTTP request: " + ec.message()));
    }
    return;
  }

  HttpRequest request = parser_->release();
  if (!kTls && context_.options().tls() && !is_management_on_loopback(request)) {
    redirect_to_https(request);
  } else if (websocket::is_upgrade(request)) {
    upgrade(std::move(request));
  } else {
    serve(request);
  }
}

template <class Stream>
bool HttpSession<Stream>::is_management_on_loopback(const HttpRequest& request) const {
  const std::string prefix = "/" + context_.options().stage + "/@connections/";
  return is_loopback_address(remote_ip_) &&
         split_target(request.target()).path.starts_with(prefix);
}

template <class Stream>
void HttpSession<Stream>::redirect_to_https(const HttpRequest& request) {
  const std::string host(request[http::field::host]);
  const bool page = !websocket::is_upgrade(request) &&
                    (request.method() == http::verb::get || request.method() == http::verb::head);
  if (host.empty() || host.find_first_of("/\\ \r\n") != std::string::npos || !page) {
    HttpRequest closing = request;
    closing.keep_alive(false);
    send(json_error(closing, http::status::bad_request,
                    websocket::is_upgrade(request)
                        ? "this port speaks TLS: connect with wss://"
                        : "this port speaks TLS: use https://"));
    return;
  }
  HttpResponse response = text_response(request, http::status::moved_permanently,
                                        "text/plain; charset=utf-8",
                                        "This server speaks HTTPS: https://" + host +
                                            std::string(request.target()) + "\n");
  response.set(http::field::location, "https://" + host + std::string(request.target()));
  response.keep_alive(false);
  send(std::move(response));
}

template <class Stream>
void HttpSession<Stream>::serve_management(const HttpRequest& request, const Target& target,
                                   std::string_view connections_prefix) {
  const Options& options = context_.options();
  if (!is_loopback_address(remote_ip_)) {
    send(aws_error(request, http::status::forbidden, "ForbiddenException",
                   "the management API answers only on the loopback interface"));
    return;
  }
  if (!options.management_credentials) {
    auto origin = request.find(http::field::origin);
    auto refusal = unsigned_management_refusal(
        origin == request.end() ? std::nullopt : std::optional<std::string_view>(origin->value()),
        request[http::field::host]);
    if (refusal) {
      send(aws_error(request, http::status::forbidden, "ForbiddenException", *refusal));
      return;
    }
  }
  auto id = percent_decode(std::string_view(target.path).substr(connections_prefix.size()));
  if (!id || id->empty() || id->find('/') != std::string::npos) {
    send(aws_error(request, http::status::bad_request, "BadRequestException",
                   "expected /" + options.stage + "/@connections/{connectionId}"));
    return;
  }
  if (options.management_credentials) {
    ReceivedRequest received{
        std::string(request.method_string()), target.path, target.query, {}, request.body()};
    for (const auto& field : request) {
      received.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    auto refusal = verify_management_request(received, *options.management_credentials,
                                             std::chrono::system_clock::now());
    if (refusal) {
      send(aws_error(request, http::status::forbidden, refusal->error_type, refusal->message));
      return;
    }
  }
  send(handle_management_request(request, *id, context_.registry(), options));
}

template <class Stream>
void HttpSession<Stream>::serve(const HttpRequest& request) {
  const Options& options = context_.options();
  const Target target = split_target(request.target());
  const std::string api_path = "/" + options.stage;
  const std::string connections_prefix = api_path + "/@connections/";
  if (target.path.starts_with(connections_prefix)) {
    serve_management(request, target, connections_prefix);
    return;
  }
  if (target.path == api_path) {
    send(json_error(request, http::status::upgrade_required,
                    "this is the WebSocket API; connect with a WebSocket client"));
    return;
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    HttpResponse response =
        json_error(request, http::status::method_not_allowed, "only GET and HEAD are served here");
    response.set(http::field::allow, "GET, HEAD");
    send(std::move(response));
    return;
  }
  if (target.path == "/config.json") {
    HttpResponse response = text_response(
        request, http::status::ok, "application/json",
        client_config_json(options, request[http::field::host],
                           kTls ? "https" : request["X-Forwarded-Proto"]));
    site_headers(response, options);
    send(std::move(response));
    return;
  }
  if (target.path == "/healthz") {
    send(text_response(
        request, http::status::ok, "application/json",
        nlohmann::json{{"status", "ok"}, {"connections", context_.registry().size()}}.dump()));
    return;
  }
  serve_file(request, target);
}

template <class Stream>
void HttpSession<Stream>::serve_file(const HttpRequest& request, const Target& target) {
  auto file = static_file_path(context_.options().web_root, target.path);
  if (!file) {
    send(json_error(request, http::status::bad_request, "malformed or forbidden path"));
    return;
  }
  std::error_code fs_error;
  if (std::filesystem::is_directory(*file, fs_error)) {
    HttpResponse response = text_response(request, http::status::moved_permanently,
                                          "text/plain; charset=utf-8", "moved\n");
    response.set(http::field::location, target.path + "/");
    send(std::move(response));
    return;
  }
  http::file_body::value_type body;
  beast::error_code ec;
  body.open(file->c_str(), beast::file_mode::scan, ec);
  if (ec) {
    send(json_error(request, http::status::not_found, "no such file: " + target.path));
    return;
  }
  const auto size = body.size();
  if (request.method() == http::verb::head) {
    http::response<http::empty_body> head{http::status::ok, request.version()};
    site_headers(head, context_.options());
    head.set(http::field::content_type, mime_type(*file));
    head.content_length(size);
    head.keep_alive(request.keep_alive());
    send(std::move(head));
    return;
  }
  http::response<http::file_body> response{std::piecewise_construct,
                                           std::make_tuple(std::move(body)),
                                           std::make_tuple(http::status::ok, request.version())};
  site_headers(response, context_.options());
  response.set(http::field::content_type, mime_type(*file));
  response.content_length(size);
  response.keep_alive(request.keep_alive());
  send(std::move(response));
}

template <class Stream>
void HttpSession<Stream>::upgrade(Request request) {
  const Options& options = context_.options();
  const Target target = split_target(request.target());
  if (target.path != "/" + options.stage) {
    request.keep_alive(false);
    send(json_error(request, http::status::not_found,
                    "no WebSocket API at " + target.path + "; it is at /" + options.stage));
    return;
  }
  if (context_.shutting_down()) {
    request.keep_alive(false);
    send(json_error(request, http::status::service_unavailable, "the server is shutting down"));
    return;
  }
  if (request[http::field::sec_websocket_version] != "13" ||
      !is_valid_websocket_key(request[http::field::sec_websocket_key])) {
    request.keep_alive(false);
    HttpResponse response = json_error(request, http::status::bad_request,
                                       "a WebSocket handshake needs Sec-WebSocket-Key (16 bytes in "
                                       "base64) and Sec-WebSocket-Version: 13");
    response.set(http::field::sec_websocket_version, "13");
    send(std::move(response));
    return;
  }

  ConnectInfo info{new_connection_id(), epoch_ms_now(), remote_ip_,
                   std::string(request[http::field::user_agent])};
  lambdas::WebSocketEvent event =
      gateway_event(lambdas::EventType::Connect, std::string(lambdas::kRouteConnect), info,
                    {context_.domain_name(), options.stage}, info.connected_at_ms);
  for (const auto& field : request) {
    event.headers[ascii_lower(field.name_string())] = std::string(field.value());
  }
  event.query_string = parse_query(target.query);

  // The request waits here while $connect runs (perhaps in a function process); nothing is read
  // from the client meanwhile.
  auto waiting = std::make_shared<Request>(std::move(request));
  context_.invoke(event, stream_.get_executor(),
                  [self = this->shared_from_this(), waiting, info](RouteOutcome outcome) mutable {
                    self->on_connect_route(std::move(*waiting), std::move(info),
                                           std::move(outcome));
                  });
}

template <class Stream>
void HttpSession<Stream>::on_connect_route(Request request, ConnectInfo info, RouteOutcome outcome) {
  const lambdas::HandlerResponse& verdict = outcome.response;
  if (outcome.integration_failed) {
    // API Gateway's answer when the $connect integration fails.
    request.keep_alive(false);
    send(text_response(request, http::status::internal_server_error, "application/json",
                       R"({"message": "Internal server error"})"));
    return;
  }
  if (verdict.status_code < 200 || verdict.status_code > 299) {
    // As API Gateway does: a $connect that fails refuses the handshake with its status.
    request.keep_alive(false);
    auto status = http::int_to_status(static_cast<unsigned>(verdict.status_code));
    HttpResponse response = text_response(
        request, status == http::status::unknown ? http::status::internal_server_error : status,
        "application/json",
        nlohmann::json{{"message", verdict.body.value_or("connection refused")}}.dump());
    send(std::move(response));
    return;
  }
  if (context_.shutting_down()) {
    // Shutdown began while $connect ran in a function process: every session has been told to
    // close already, so this one would outlive it. (Its connection item expires by TTL.)
    request.keep_alive(false);
    send(json_error(request, http::status::service_unavailable, "the server is shutting down"));
    return;
  }

  const std::string connection_id = info.connection_id;
  auto begin = [&](auto session) {
    context_.session_started();
    // Registered only now: a handler posting to a connection during its own $connect gets Gone.
    context_.registry().add(connection_id, session);
    // The HTTP parser may have read past the request: those bytes are the WebSocket's.
    const auto early = buffer_.data();
    session->start(std::move(request),
                   std::string_view(static_cast<const char*>(early.data()), early.size()));
    buffer_.consume(buffer_.size());
  };
  if constexpr (kTls) {
    // The HTTP phase's deadlines end here: the WebSocket keeps its own timers.
    beast::get_lowest_layer(stream_).expires_never();
    begin(std::make_shared<WebSocketSession<TlsStream>>(context_, std::move(stream_),
                                                        std::move(info), std::move(slot_)));
  } else {
    begin(std::make_shared<WebSocketSession<LoopSocket>>(context_, stream_.release_socket(),
                                                         std::move(info), std::move(slot_)));
  }
}

template <class Stream>
template <class Response>
void HttpSession<Stream>::send(Response&& response) {
  using Stored = std::decay_t<Response>;
  auto stored = std::make_shared<Stored>(std::forward<Response>(response));
  common_headers(*stored);
  response_ = stored;
  http::async_write(
      stream_, *stored,
      beast::bind_front_handler(&HttpSession::on_write, this->shared_from_this(), stored->keep_alive()));
}

template <class Stream>
void HttpSession<Stream>::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (!keep_alive) {
    end_connection();
    return;
  }
  do_read();
}

template <class Stream>
void HttpSession<Stream>::end_connection() {
  if constexpr (kTls) {
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
      beast::get_lowest_layer(self->stream_).close();
    });
  } else {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  }
}

namespace {

// Tells a TLS handshake from plain HTTP by the first bytes, then starts the session for it.
class ProtocolDetector : public std::enable_shared_from_this<ProtocolDetector> {
 public:
  ProtocolDetector(ServerContext& context, LoopSocket&& socket, std::shared_ptr<void> slot,
                   std::shared_ptr<ssl::context> tls)
      : context_(context),
        stream_(std::move(socket)),
        slot_(std::move(slot)),
        tls_(std::move(tls)) {}

  void run() {
    // On the connection's own loop (the accept ran on loop 0's).
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->stream_.expires_after(kHandshakeTimeout);
      beast::async_detect_ssl(self->stream_, self->buffer_,
                              beast::bind_front_handler(&ProtocolDetector::on_detected, self));
    });
  }

 private:
  void on_detected(beast::error_code ec, bool is_tls) {
    if (ec) return;  // closed or silent before saying anything: nothing to answer
    if (is_tls) {
      std::make_shared<HttpSession<TlsStream>>(context_, TlsStream(std::move(stream_), *tls_),
                                               std::move(slot_), std::move(buffer_))
          ->run();
    } else {
      std::make_shared<HttpSession<LoopStream>>(context_, std::move(stream_), std::move(slot_),
                                                std::move(buffer_))
          ->run();
    }
  }

  ServerContext& context_;
  LoopStream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<void> slot_;
  std::shared_ptr<ssl::context> tls_;
};

}  // namespace

void start_http_session(ServerContext& context, LoopSocket&& socket, std::shared_ptr<void> slot,
                        const std::shared_ptr<ssl::context>& tls) {
  if (tls) {
    std::make_shared<ProtocolDetector>(context, std::move(socket), std::move(slot), tls)->run();
  } else {
    std::make_shared<HttpSession<LoopStream>>(context, LoopStream(std::move(socket)),
                                              std::move(slot), beast::flat_buffer())
        ->run();
  }
}

template class HttpSession<LoopStream>;
template class HttpSession<TlsStream>;

}  // namespace videochat::local
