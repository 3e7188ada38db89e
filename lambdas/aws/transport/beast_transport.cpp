#include "beast_transport.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <stdexcept>
#include <variant>

#include "ascii_case.hpp"
#include "http_url.hpp"

namespace videochat::aws::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace wire = boost::beast::http;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

namespace {

using Message = wire::request<wire::string_body>;

constexpr const char* kNoTls = "this transport carries plain HTTP only (TransportOptions::tls)";

// Runs `io` until the one operation `start` begins on it completes: a synchronous call with the
// stream's deadline as its timeout (Beast's timeouts apply to asynchronous operations only).
template <class Start>
beast::error_code run_one(asio::io_context& io, Start&& start) {
  beast::error_code result = asio::error::would_block;
  start([&result](beast::error_code error, auto&&...) { result = error; });
  io.restart();
  io.run();
  return result;
}

std::string origin_of(const Url& url) {
  return std::string(url.secure ? "https://" : "http://") + url.host_header + "|" + url.port;
}

Message message_for(const Request& request, const Url& url) {
  Message message;
  const auto verb = wire::string_to_verb(request.method);
  if (verb == wire::verb::unknown) {
    message.method_string(request.method);
  } else {
    message.method(verb);
  }
  message.target(url.target);
  message.version(11);
  message.set(wire::field::host, url.host_header);
  for (const auto& header : request.headers) {
    // One Host only: the signer's, when it names one, is the same value.
    if (ascii_iequals(header.name, "host")) {
      message.set(wire::field::host, header.value);
    } else {
      message.insert(header.name, header.value);
    }
  }
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

Response response_from(wire::response<wire::string_body>&& message) {
  Response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  response.body = std::move(message.body());
  return response;
}

Failure failure(const std::string& what, const beast::error_code& error) {
  const bool timed_out = error == beast::error::timeout;
  return Failure{timed_out, what + ": " + (timed_out ? "timed out" : error.message())};
}

// Why a TLS handshake failed, in words: the certificate check's verdict when it was the cause.
std::string handshake_problem(SSL* ssl, const beast::error_code& error) {
  const long verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK) {
    return std::string("certificate not trusted: ") + X509_verify_cert_error_string(verdict);
  }
  return error == beast::error::timeout ? "timed out" : error.message();
}

}  // namespace

// OpenSSL set up without reading openssl.cnf: the trust and protocol settings are ours alone,
// whatever the host's file says (Lambda's image has none where this build would look), and the
// cold start skips parsing it.
bool init_openssl_without_config() {
  return OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
}

struct BeastTransport::TlsContext {
  bool initialised = init_openssl_without_config();
  asio::ssl::context context{asio::ssl::context::tls_client};
};

// One kept-alive connection: its own io_context, so calls on different connections never share
// state and any thread may use it (one at a time: it is either in the pool or in a call).
class BeastTransport::Connection {
 public:
  explicit Connection(std::string origin) : origin_(std::move(origin)) {}
  const std::string& origin() const { return origin_; }

  // TCP (and TLS) to `url`'s origin by `deadline`; a Failure saying which step failed.
  // `tls` is null on a plain-HTTP transport; `url` is then never https (checked by connect()).
  std::optional<Failure> open(const Url& url, Clock::time_point deadline, TlsContext* tls);

  // The answer to `message`, or the failure and whether any of the answer had arrived.
  struct Failed {
    Failure failure;
    bool answer_started = false;
  };
  std::variant<Response, Failed> exchange(const Message& message, Clock::time_point deadline,
                                          std::size_t max_body);
  bool keep_alive() const { return keep_alive_; }

 private:
  template <class Stream>
  std::variant<Response, Failed> exchange_on(Stream& stream, const Message& message,
                                             Clock::time_point deadline, std::size_t max_body);
  std::optional<Failure> handshake(const Url& url, Clock::time_point deadline);

  std::string origin_;
  asio::io_context io_{1};
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
  beast::flat_buffer buffer_;
  bool keep_alive_ = false;
};

std::optional<Failure> BeastTransport::Connection::open(const Url& url, Clock::time_point deadline,
                                                        TlsContext* tls) {
  const std::string where = url.host_header;
  beast::error_code error;
  tcp::resolver resolver(io_);
  auto endpoints = resolver.resolve(url.host, url.port, error);
  if (error) return failure("cannot resolve " + url.host, error);
  if (url.secure) {
    secure_.emplace(io_, tls->context);
  } else {
    plain_.emplace(io_);
  }
  auto& stream = secure_ ? beast::get_lowest_layer(*secure_) : *plain_;
  stream.expires_at(deadline);
  error = run_one(io_, [&](auto done) { stream.async_connect(endpoints, std::move(done)); });
  if (error) return failure("cannot connect to " + where, error);
  stream.socket().set_option(tcp::no_delay(true), error);  // small requests: no Nagle delay
  return url.secure ? handshake(url, deadline) : std::nullopt;
}

std::optional<Failure> BeastTransport::Connection::handshake(const Url& url,
                                                             Clock::time_point deadline) {
  SSL* ssl = secure_->native_handle();
  beast::error_code not_an_address;
  asio::ip::make_address(url.host, not_an_address);
  if (not_an_address) {
    SSL_set_tlsext_host_name(ssl, url.host.c_str());  // SNI carries names only
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    SSL_set1_host(ssl, url.host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host.c_str());
  }
  beast::get_lowest_layer(*secure_).expires_at(deadline);
  auto error = run_one(io_, [&](auto done) {
    secure_->async_handshake(asio::ssl::stream_base::client, std::move(done));
  });
  if (!error) return std::nullopt;
  return Failure{error == beast::error::timeout, "TLS handshake with " + url.host_header +
                                                    " failed: " + handshake_problem(ssl, error)};
}

auto BeastTransport::Connection::exchange(const Message& message, Clock::time_point deadline,
                                          std::size_t max_body) -> std::variant<Response, Failed> {
  return secure_ ? exchange_on(*secure_, message, deadline, max_body)
                 : exchange_on(*plain_, message, deadline, max_body);
}

template <class Stream>
auto BeastTransport::Connection::exchange_on(Stream& stream, const Message& message,
                                             Clock::time_point deadline, std::size_t max_body)
    -> std::variant<Response, Failed> {
  beast::get_lowest_layer(stream).expires_at(deadline);
  auto error = run_one(io_, [&](auto done) {
    wire::async_write(stream, message, std::move(done));
  });
  if (error) return Failed{failure("sending the request failed", error), false};
  wire::response_parser<wire::string_body> parser;
  parser.body_limit(max_body);
  error = run_one(io_, [&](auto done) {
    wire::async_read(stream, buffer_, parser, std::move(done));
  });
  if (error) {
    const bool started = parser.got_some() || buffer_.size() > 0;
    return Failed{failure("reading the answer failed", error), started};
  }
  // Bytes past the answer would be read as the start of the next one: such a connection is
  // not kept.
  keep_alive_ = parser.get().keep_alive() && buffer_.size() == 0;
  return response_from(parser.release());
}

BeastTransport::BeastTransport(TransportOptions options) : options_(std::move(options)) {
  if (!options_.tls) return;
  tls_ = std::make_unique<TlsContext>();
  auto& context = tls_->context;
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(asio::ssl::verify_peer);
  beast::error_code error;
  if (options_.ca_directory) {
    context.add_verify_path(*options_.ca_directory, error);
    if (error) {
      throw std::runtime_error("cannot use the CA directory " + *options_.ca_directory + ": " +
                               error.message());
    }
  } else if (options_.ca_bundle) {
    context.load_verify_file(*options_.ca_bundle, error);
    if (error) {
      throw std::runtime_error("cannot read the CA bundle " + *options_.ca_bundle + ": " +
                               error.message());
    }
  } else {
    context.set_default_verify_paths(error);
  }
}

BeastTransport::~BeastTransport() = default;

std::unique_ptr<BeastTransport::Connection> BeastTransport::take_idle(const std::string& origin) {
  std::lock_guard lock(mutex_);
  for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
    if ((*it)->origin() != origin) continue;
    auto connection = std::move(*it);
    idle_.erase(std::next(it).base());
    return connection;
  }
  return nullptr;
}

void BeastTransport::keep_idle(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  const auto same = [&](const auto& kept) { return kept->origin() == connection->origin(); };
  if (static_cast<std::size_t>(std::count_if(idle_.begin(), idle_.end(), same)) >=
      options_.max_idle_per_origin) {
    idle_.erase(std::find_if(idle_.begin(), idle_.end(), same));  // the least recently used
  }
  idle_.push_back(std::move(connection));
}

std::variant<std::unique_ptr<BeastTransport::Connection>, Failure> BeastTransport::connect(
    const Url& url, Clock::time_point deadline) {
  if (url.secure && !tls_) return Failure{false, kNoTls};
  auto connection = std::make_unique<Connection>(origin_of(url));
  if (auto failed = connection->open(url, deadline, tls_.get())) return *std::move(failed);
  ++opened_;
  return connection;
}

std::optional<Failure> BeastTransport::preconnect(const std::string& url_text,
                                                  std::chrono::milliseconds timeout) {
  Url url;
  try {
    url = parse_url(url_text);
  } catch (const std::invalid_argument& error) {
    return Failure{false, error.what()};
  }
  auto connected = connect(url, Clock::now() + timeout);
  if (auto* failed = std::get_if<Failure>(&connected)) return *failed;
  keep_idle(std::get<std::unique_ptr<Connection>>(std::move(connected)));
  return std::nullopt;
}

Result BeastTransport::send(const Request& request, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + std::max(timeout, std::chrono::milliseconds(1));
  Url url;
  try {
    url = parse_url(request.url);
  } catch (const std::invalid_argument& error) {
    return Failure{false, error.what()};
  }
  if (url.secure && !tls_) return Failure{false, kNoTls};  // before any connection is taken
  const Message message = message_for(request, url);
  const std::string origin = origin_of(url);
  for (bool first_try = true;; first_try = false) {
    auto connection = take_idle(origin);
    const bool reused = connection != nullptr;
    if (!connection) {
      auto connected = connect(url, deadline);
      if (auto* failed = std::get_if<Failure>(&connected)) return *failed;
      connection = std::get<std::unique_ptr<Connection>>(std::move(connected));
    }
    auto outcome = connection->exchange(message, deadline, options_.max_body_bytes);
    if (auto* response = std::get_if<Response>(&outcome)) {
      if (connection->keep_alive()) keep_idle(std::move(connection));
      return std::move(*response);
    }
    auto& failed = std::get<Connection::Failed>(outcome);
    // The server closed a kept-alive connection while it sat idle: the request never reached
    // it, so it goes out once more, on a new connection.
    if (reused && first_try && !failed.answer_started && !failed.failure.timed_out) continue;
    failed.failure.message = request.method + " " + url.host_header + ": " + failed.failure.message;
    return failed.failure;
  }
}

}  // namespace videochat::aws::http
