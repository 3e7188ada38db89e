#include "beast_transport.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <stdexcept>
#include <variant>

#include "ascii_case.hpp"
#include "http_url.hpp"
#include "socket_io.hpp"
#include "tls_client.hpp"

namespace videochat::aws::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace wire = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

using Message = wire::request<wire::string_body>;

constexpr const char* kNoTls = "this transport carries plain HTTP only (TransportOptions::tls)";

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

// A connected socket, through TLS when there is a session, as Beast's synchronous algorithms
// want it (read_some, write_some); every call ends by `deadline`.
class DeadlineStream {
 public:
  DeadlineStream(int fd, TlsSession* tls, Clock::time_point deadline)
      : fd_(fd), tls_(tls), deadline_(deadline) {}

  template <class Buffers>
  std::size_t read_some(const Buffers& buffers, beast::error_code& error) {
    const asio::mutable_buffer into = *asio::buffer_sequence_begin(buffers);
    return tls_ ? tls_->read_some(into.data(), into.size(), error)
                : socket_read(fd_, into.data(), into.size(), deadline_, error);
  }

  // The header and the body go out together (one TLS record, one segment) up to 16 KB.
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, beast::error_code& error) {
    const std::size_t size = asio::buffer_copy(asio::buffer(outgoing_), buffers);
    return tls_ ? tls_->write_some(outgoing_.data(), size, error)
                : socket_write(fd_, outgoing_.data(), size, deadline_, error);
  }

  // The throwing forms Beast's stream concepts ask for too.
  template <class Buffers>
  std::size_t read_some(const Buffers& buffers) {
    return or_throw([&](beast::error_code& error) { return read_some(buffers, error); });
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    return or_throw([&](beast::error_code& error) { return write_some(buffers, error); });
  }

 private:
  template <class Call>
  static std::size_t or_throw(Call call) {
    beast::error_code error;
    const std::size_t done = call(error);
    if (error) throw beast::system_error(error);
    return done;
  }

  int fd_;
  TlsSession* tls_;
  Clock::time_point deadline_;
  std::array<char, 16 * 1024> outgoing_;
};

}  // namespace

// One kept-alive connection: calls on different connections never share state and any thread
// may use it (one at a time: it is either in the pool or in a call). It connects, reads and
// writes synchronously with deadlines (socket_io).
class BeastTransport::Connection {
 public:
  explicit Connection(std::string origin) : origin_(std::move(origin)) {}
  const std::string& origin() const { return origin_; }

  // TCP (and TLS) to `url`'s origin by `deadline`; a Failure saying which step failed.
  // `tls` is null on a plain-HTTP transport; `url` is then never https (checked by connect()).
  std::optional<Failure> open(const Url& url, Clock::time_point deadline, TlsClientConfig* tls);

  // The answer to `message`, or the failure and whether any of the answer had arrived.
  struct Failed {
    Failure failure;
    bool answer_started = false;
  };
  std::variant<Response, Failed> exchange(const Message& message, Clock::time_point deadline,
                                          std::size_t max_body);
  bool keep_alive() const { return keep_alive_; }

 private:
  std::string origin_;
  Socket socket_;
  std::optional<TlsSession> tls_;
  beast::flat_buffer buffer_;
  bool keep_alive_ = false;
};

std::optional<Failure> BeastTransport::Connection::open(const Url& url, Clock::time_point deadline,
                                                        TlsClientConfig* tls) {
  const std::string where = url.host_header;
  std::string problem;
  bool timed_out = false;
  socket_ = socket_connect(url.host, url.port, deadline, problem, timed_out);
  if (!socket_) return Failure{timed_out, problem};
  if (!url.secure) return std::nullopt;
  auto& session = tls_.emplace(*tls, socket_.fd());
  session.set_deadline(deadline);
  if (auto problem = session.handshake(url.host, timed_out)) {
    return Failure{timed_out, "TLS handshake with " + where + " failed: " + *problem};
  }
  return std::nullopt;
}

auto BeastTransport::Connection::exchange(const Message& message, Clock::time_point deadline,
                                          std::size_t max_body) -> std::variant<Response, Failed> {
  if (tls_) tls_->set_deadline(deadline);
  DeadlineStream stream(socket_.fd(), tls_ ? &*tls_ : nullptr, deadline);
  beast::error_code error;
  wire::write(stream, message, error);
  if (error) return Failed{failure("sending the request failed", error), false};
  wire::response_parser<wire::string_body> parser;
  parser.body_limit(max_body);
  // The head on its own first: Beast 1.74 checks a declared length against body_limit only then
  // (a whole read that gets head and body in one piece lets it through).
  wire::read_header(stream, buffer_, parser, error);
  if (!error) wire::read(stream, buffer_, parser, error);
  if (error == wire::error::body_limit) {
    return Failed{Failure{false, "the answer's body is over the limit of " +
                                     std::to_string(max_body) + " bytes"},
                  true};
  }
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
  if (options_.tls)
    tls_ = std::make_unique<TlsClientConfig>(options_.ca_bundle, options_.ca_directory);
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
  if (options_.max_idle_per_origin == 0) return;  // nothing kept: the connection closes
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
    // The one retry is on a new connection: after a thaw, the other idle ones are likely as dead.
    auto connection = first_try ? take_idle(origin) : nullptr;
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
