#include "websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <nlohmann/json.hpp>

#include "connection_id.hpp"
#include "handler_arena.hpp"
#include "lambda/proxy_response.hpp"
#include "server_frames.hpp"

namespace videochat::local {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using lambdas::EventType;

namespace {

// A client that stops reading while others keep sending would make the server buffer without
// bound; past this much queued data it is disconnected instead (close code 1008).
constexpr std::size_t kMaxQueuedBytes = 8 * 1024 * 1024;
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// Messages read but not yet routed (their function processes are all busy): past this many the
// client is sending faster than the function keeps up, and is disconnected (1008) rather than
// queued without bound.
constexpr std::size_t kMaxWaitingMessages = 1000;

double steady_ms(std::chrono::steady_clock::time_point at) {
  return std::chrono::duration<double, std::milli>(at.time_since_epoch()).count();
}

// Bursts of four seconds' worth; a byte burst always holds one message of the largest size.
MessageRateLimiter rate_limiter_for(const Options& options) {
  const auto messages = static_cast<double>(options.max_messages_per_second);
  const auto bytes = static_cast<double>(options.max_bytes_per_second);
  return MessageRateLimiter(
      {messages, 4 * messages},
      {bytes, std::max(4 * bytes, static_cast<double>(options.max_message_bytes))},
      steady_ms(std::chrono::steady_clock::now()));
}

// Ends the TCP connection under either layer, at once.
void close_socket(LoopSocket& socket) {
  beast::error_code ignored;
  socket.close(ignored);
}
void close_socket(LoopStream& stream) { stream.close(); }

}  // namespace

template <class Layer>
WebSocketSession<Layer>::WebSocketSession(ServerContext& context, Layer&& layer, ConnectInfo info,
                                          std::shared_ptr<void> slot)
    : context_(context),
      ws_(std::move(layer)),
      info_(std::move(info)),
      slot_(std::move(slot)),
      rate_(rate_limiter_for(context.options())),
      connection_{info_.connection_id},
      idle_timer_(ws_.get_executor()),
      lifetime_timer_(ws_.get_executor()),
      liveness_timer_(ws_.get_executor()),
      last_active_at_ms_(info_.connected_at_ms) {}

template <class Layer>
void WebSocketSession<Layer>::start(beast::http::request<beast::http::string_body> upgrade,
                             std::string_view early_bytes) {
  const Options& options = context_.options();
  ws_.next_layer().scanner().set_limit(options.max_frame_bytes);
  ws_.next_layer().preload(early_bytes);
  ws_.read_message_max(options.max_message_bytes);
  // Beast times the handshake only: its idle timeout would re-arm a timer (an allocation and two
  // timer-queue updates) on every message read. Our own liveness check (check_liveness) looks at
  // the clock once per ping interval instead.
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = kHandshakeTimeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws_.set_option(timeouts);
  // Every frame from the peer shows it is there, its pings and pongs included. Called from within
  // the session's own read, which holds the session alive.
  ws_.control_callback([this](websocket::frame_type, beast::string_view) {
    last_heard_ = std::chrono::steady_clock::now();
  });
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "videochat-local");
  }));
  // Each posted message goes out as one frame, as API Gateway sends messages up to its limit.
  ws_.auto_fragment(false);
  ws_.async_accept(upgrade,
                   beast::bind_front_handler(&WebSocketSession::on_accept, this->shared_from_this()));
}

template <class Layer>
void WebSocketSession<Layer>::on_accept(beast::error_code ec) {
  if (ec) {
    finish(1006, "WebSocket handshake failed: " + ec.message());
    return;
  }
  accepted_ = true;
  last_message_ = last_heard_ = std::chrono::steady_clock::now();
  arm_idle_timer(context_.options().idle_timeout);
  arm_liveness_timer(context_.options().ping_interval);
  arm_lifetime_timer();
  do_read();
  if (our_close_) {
    // Closed (say, by a DeleteConnection) while the handshake was still in flight.
    if (queue_.empty()) {
      do_close();
    } else {
      do_write();
    }
  } else if (!queue_.empty()) {
    do_write();
  }
}

template <class Layer>
void WebSocketSession<Layer>::do_read() {
  ws_.async_read(read_buffer_,
                 with_arena(arena_, beast::bind_front_handler(&WebSocketSession::on_read,
                                                              this->shared_from_this())));
}

template <class Layer>
void WebSocketSession<Layer>::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (ws_.next_layer().scanner().invalid_length()) {
      refuse_invalid_length();
    } else if (peer_lost_) {
      finish(1006, "Connection lost: no answer to a ping for " +
                       std::to_string(2 * context_.options().ping_interval.count()) + " s");
    } else if (our_close_) {
      finish(our_close_->first, our_close_->second);
    } else if (ec == websocket::error::closed) {
      const auto& peer = ws_.reason();
      if (peer.code == websocket::close_code::none) {
        finish(1005, "Client-side close frame status not set");
      } else {
        finish(peer.code, std::string(peer.reason.data(), peer.reason.size()));
      }
    } else if (ec == websocket::error::message_too_big) {
      finish(1009, "Message too big");
    } else if (ec == websocket::error::bad_frame_payload) {
      // Beast has already closed with this code (a text frame that is not UTF-8).
      finish(1007, "Invalid frame payload data");
    } else if (ec == websocket::condition::protocol_violation) {
      finish(1002, "Protocol error: " + ec.message());
    } else {
      finish(1006, "Connection lost: " + ec.message());
    }
    return;
  }
  last_heard_ = std::chrono::steady_clock::now();
  const bool oversized_frame = ws_.next_layer().scanner().exceeded();
  const bool binary = !ws_.got_text();
  // Read in place: the message is handled (or copied into its event) before the buffer is reused.
  const auto data = read_buffer_.cdata();
  const std::string_view body(static_cast<const char*>(data.data()), data.size());
  if (our_close_) {
    // Closing: the client's remaining messages are not routed, only read until its close frame.
  } else if (oversized_frame) {
    begin_close(1009, "Frame too big");
  } else if (binary) {
    // API Gateway WebSocket APIs take text frames only.
    begin_close(1003, "Unsupported data: binary frames are not accepted");
  } else {
    handle_message(body);
  }
  read_buffer_.consume(read_buffer_.size());
  do_read();
}

// A frame whose 64-bit length has its top bit set: Beast's stream gave up reading it, so the
// close frame (1002, protocol error) goes straight to the layer below, and the connection ends.
template <class Layer>
void WebSocketSession<Layer>::refuse_invalid_length() {
  // An unmasked close frame from the server: FIN + close, 2 bytes of payload, the code.
  static constexpr unsigned char kClose1002[] = {0x88, 0x02, 0x03, 0xea};
  finish(1002, "Protocol error: a 64-bit payload length with its most significant bit set");
  if (writing_) {
    // A frame of ours is half written: a close frame now would land inside it.
    close_socket(beast::get_lowest_layer(ws_));
    return;
  }
  net::async_write(ws_.next_layer().next_layer(), net::buffer(kClose1002),
                   [self = this->shared_from_this()](beast::error_code, std::size_t) {
                     close_socket(beast::get_lowest_layer(self->ws_));
                   });
}

template <class Layer>
void WebSocketSession<Layer>::handle_message(std::string_view body) {
  ++messages_in_;
  last_message_ = last_heard_;  // on_read has just read the clock
  if (!within_rate(body.size())) return;
  const std::int64_t now_ms = epoch_ms_now();
  last_active_at_ms_ = now_ms;

  if (context_.in_process()) {
    // Handled now, from the read buffer: no API Gateway event is built, since no one would read
    // its request id or context, and the frame is read once, in place.
    context_.route_message_in_process(body, connection_, info_.source_ip);
    return;
  }
  // Lambda mode: the function gets the event as API Gateway sends it.
  lambdas::WebSocketEvent event =
      gateway_event(EventType::Message, std::string(lambdas::select_route(body)), info_,
                    {context_.domain_name(), context_.options().stage}, now_ms);
  event.body = std::string(body);
  if (events_.size() >= kMaxWaitingMessages) {
    begin_close(1008, "Too many messages waiting to be routed");
    return;
  }
  route(std::move(event));
}

template <class Layer>
bool WebSocketSession<Layer>::within_rate(std::size_t bytes) {
  switch (rate_.admit(steady_ms(last_heard_), bytes)) {
    case RateVerdict::Pass:
      return true;
    case RateVerdict::Refuse:
      return false;
    case RateVerdict::RefuseAndTell: {
      const Options& options = context_.options();
      context_.log().write({{"event", "rate_limited"},
                            {"connectionId", info_.connection_id},
                            {"sourceIp", info_.source_ip}});
      enqueue(std::make_shared<const std::string>(protocol::to_text(protocol::ErrorFrame{
          protocol::ErrorCode::RateLimited,
          "too many messages: this one, and any more this second, were dropped (the limit is " +
              std::to_string(options.max_messages_per_second) + " messages and " +
              std::to_string(options.max_bytes_per_second) + " bytes a second)",
          std::nullopt})));
      return false;
    }
    case RateVerdict::Close:
      context_.log().write({{"event", "rate_limit_exceeded"},
                            {"connectionId", info_.connection_id},
                            {"sourceIp", info_.source_ip}});
      begin_close(1008, "Rate limit exceeded");
      return false;
  }
  return false;
}

template <class Layer>
void WebSocketSession<Layer>::route(lambdas::WebSocketEvent event) {
  events_.push_back(std::move(event));
  if (!invoking_) invoke_next();
}

template <class Layer>
void WebSocketSession<Layer>::invoke_next() {
  if (events_.empty()) return;
  invoking_ = true;
  lambdas::WebSocketEvent event = std::move(events_.front());
  events_.pop_front();
  context_.invoke(event, ws_.get_executor(),
                  [self = this->shared_from_this(), type = event.request_context.event_type,
                   request_id = event.request_context.request_id](RouteOutcome outcome) {
                    self->on_invoked(type, request_id, std::move(outcome));
                  });
}

template <class Layer>
void WebSocketSession<Layer>::on_invoked(EventType type, const std::string& request_id,
                                  RouteOutcome outcome) {
  invoking_ = false;
  if (type == EventType::Disconnect) {
    context_.log().write({{"event", "connection_closed"},
                          {"connectionId", info_.connection_id},
                          {"code", ended_.first},
                          {"reason", ended_.second},
                          {"durationMs", ended_at_ms_ - info_.connected_at_ms},
                          {"messagesIn", messages_in_},
                          {"messagesOut", messages_out_}});
    context_.session_finished();
    return;
  }
  // Routes are one-way: the handler's response is logged, never sent to the client. An
  // integration failure is the exception: API Gateway tells the sender.
  if (outcome.integration_failed) {
    enqueue(std::make_shared<const std::string>(
        lambda::integration_failure_frame(info_.connection_id, request_id)));
  }
  invoke_next();
}

template <class Layer>
bool WebSocketSession<Layer>::send(std::shared_ptr<const std::string> frame) {
  if (closing_.load()) return false;
  bool wake = false;
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(std::move(frame));
    wake = !std::exchange(wake_pending_, true);
  }
  if (wake) {
    net::post(ws_.get_executor(),
              with_arena(wake_arena_, [self = this->shared_from_this()] { self->drain_inbox(); }));
  }
  return true;
}

template <class Layer>
void WebSocketSession<Layer>::drain_inbox() {
  {
    // Asio freed the wake-up's operation before running it, so the next sender may post again.
    std::lock_guard lock(inbox_mutex_);
    draining_.swap(inbox_);
    wake_pending_ = false;
  }
  for (auto& frame : draining_) enqueue(std::move(frame));
  draining_.clear();
}

template <class Layer>
void WebSocketSession<Layer>::enqueue(std::shared_ptr<const std::string> frame) {
  if (our_close_ || finished_) return;
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (queued_bytes_ > kMaxQueuedBytes) {
    context_.log().write({{"event", "slow_consumer"},
                          {"connectionId", info_.connection_id},
                          {"queuedBytes", queued_bytes_}});
    // The rest would never be read in time.
    queue_.clear();
    queued_bytes_ = 0;
    begin_close(1008, "Client is not reading fast enough");
    return;
  }
  if (accepted_ && !writing_) do_write();
}

template <class Layer>
void WebSocketSession<Layer>::do_write() {
  writing_ = true;
  // The frame being written lives here, not in the queue, so clearing the queue cannot free it.
  in_flight_ = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= in_flight_->size();
  ws_.text(true);
  ws_.async_write(net::buffer(*in_flight_),
                  with_arena(arena_, beast::bind_front_handler(&WebSocketSession::on_write,
                                                               this->shared_from_this())));
}

template <class Layer>
void WebSocketSession<Layer>::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  in_flight_.reset();
  if (ec) return;  // the connection is broken; the pending read reports it and finishes
  ++messages_out_;
  if (!queue_.empty()) {
    do_write();
  } else if (our_close_ && !close_sent_) {
    do_close();
  }
}

template <class Layer>
void WebSocketSession<Layer>::close(std::uint16_t code, std::string reason) {
  net::post(ws_.get_executor(), [self = this->shared_from_this(), code, reason = std::move(reason)]() {
    self->begin_close(code, reason);
  });
}

template <class Layer>
void WebSocketSession<Layer>::begin_close(std::uint16_t code, std::string reason) {
  if (our_close_ || finished_) return;
  our_close_.emplace(code, std::move(reason));
  // From now on posts to this connection answer Gone, as on API Gateway.
  closing_ = true;
  context_.registry().remove(info_.connection_id);
  idle_timer_.cancel();
  lifetime_timer_.cancel();
  // Frames already posted go out first, then the close frame.
  if (accepted_ && !writing_ && queue_.empty()) do_close();
}

template <class Layer>
void WebSocketSession<Layer>::do_close() {
  close_sent_ = true;
  ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(our_close_->first),
                                          our_close_->second),
                  [self = this->shared_from_this()](beast::error_code) {
                    // The pending read completes once the client answers (or the close times
                    // out) and runs finish().
                  });
}

template <class Layer>
void WebSocketSession<Layer>::arm_idle_timer(std::chrono::steady_clock::duration after) {
  idle_timer_.expires_after(after);
  idle_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
    if (ec || self->our_close_ || self->finished_) return;
    const auto limit = self->context_.options().idle_timeout;
    const auto silent_for = std::chrono::steady_clock::now() - self->last_message_;
    if (silent_for >= limit) {
      self->begin_close(1001, "Going away");
    } else {
      self->arm_idle_timer(limit - silent_for);
    }
  });
}

template <class Layer>
void WebSocketSession<Layer>::arm_liveness_timer(std::chrono::steady_clock::duration after) {
  liveness_timer_.expires_after(after);
  liveness_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
    // Also while closing: a peer that vanished mid-close is dropped the same way.
    if (ec || self->finished_) return;
    self->check_liveness();
  });
}

// Pings a peer silent for a ping interval, and drops one silent for two (it vanished without a
// close: a dead network, a sleeping laptop). Its pending read then fails and finish() reports 1006.
template <class Layer>
void WebSocketSession<Layer>::check_liveness() {
  const auto interval = context_.options().ping_interval;
  const auto silent_for = std::chrono::steady_clock::now() - last_heard_;
  if (silent_for >= 2 * interval) {
    peer_lost_ = true;
    close_socket(beast::get_lowest_layer(ws_));
    return;
  }
  if (silent_for < interval) {
    arm_liveness_timer(interval - silent_for);
    return;
  }
  if (!ping_outstanding_ && !our_close_) {
    ping_outstanding_ = true;
    ws_.async_ping({}, [self = this->shared_from_this()](beast::error_code) {
      self->ping_outstanding_ = false;
    });
  }
  arm_liveness_timer(2 * interval - silent_for);
}

template <class Layer>
void WebSocketSession<Layer>::arm_lifetime_timer() {
  lifetime_timer_.expires_after(context_.options().max_lifetime);
  lifetime_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
    if (!ec) self->begin_close(1001, "Going away");
  });
}

template <class Layer>
void WebSocketSession<Layer>::finish(std::uint16_t code, std::string reason) {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  context_.registry().remove(info_.connection_id);
  idle_timer_.cancel();
  lifetime_timer_.cancel();
  liveness_timer_.cancel();
  queue_.clear();
  queued_bytes_ = 0;

  const std::int64_t now_ms = epoch_ms_now();
  lambdas::WebSocketEvent event =
      gateway_event(EventType::Disconnect, std::string(lambdas::kRouteDisconnect), info_,
                    {context_.domain_name(), context_.options().stage}, now_ms);
  auto& request = event.request_context;
  request.disconnect_status_code = code;
  request.disconnect_reason = reason;
  ended_ = {code, reason};
  ended_at_ms_ = now_ms;
  // API Gateway's $disconnect carries these synthetic headers rather than the client's.
  event.headers = {{"host", context_.domain_name()},
                   {"x-api-key", ""},
                   {"x-forwarded-for", ""},
                   {"x-restapi", ""}};
  // After the messages still waiting: $disconnect is the connection's last invocation.
  route(std::move(event));
}

template <class Layer>
ConnectionSnapshot WebSocketSession<Layer>::snapshot() const {
  return {info_.connected_at_ms, last_active_at_ms_.load(), info_.source_ip, info_.user_agent};
}

template class WebSocketSession<LoopSocket>;
template class WebSocketSession<TlsStream>;

}  // namespace videochat::local
