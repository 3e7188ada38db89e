// One API Gateway WebSocket connection: reads frames, turns each text message into a MESSAGE
// event for its route, writes what handlers post to it, and enforces API Gateway's limits (frame
// and message size, idle timeout, maximum lifetime). When it ends, however it ends, it runs the
// $disconnect route exactly once.
#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "frame_limit_stream.hpp"
#include "gateway_event.hpp"
#include "handler_arena.hpp"
#include "live_connection.hpp"
#include "loop_stream.hpp"
#include "message_rate.hpp"
#include "server_context.hpp"

namespace videochat::local {

// `Layer`: what the WebSocket runs over, LoopSocket (ws://) or TlsStream (wss://).
template <class Layer>
class WebSocketSession final : public LiveConnection,
                               public std::enable_shared_from_this<WebSocketSession<Layer>> {
 public:
  // `info`: who connected, as the $connect event saw it. `slot`: the connection's place under the
  // server's connection limits, freed with the session.
  WebSocketSession(ServerContext& context, Layer&& layer, ConnectInfo info,
                   std::shared_ptr<void> slot);

  // Completes the handshake for an upgrade request whose $connect succeeded. The session must
  // already be in the registry, so frames posted meanwhile wait in its queue. `early_bytes`: what
  // the client sent after the request before the handshake's answer (its first frames), read
  // before anything else.
  void start(boost::beast::http::request<boost::beast::http::string_body> upgrade,
             std::string_view early_bytes);

  bool send(std::shared_ptr<const std::string> frame) override;
  void close(std::uint16_t code, std::string reason) override;
  ConnectionSnapshot snapshot() const override;

 private:
  using Socket = boost::beast::websocket::stream<FrameLimitStream<Layer>>;

  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle_message(std::string_view body);
  void refuse_invalid_length();
  // Whether the rate limits let this message through; when not, the client may be told, or closed.
  bool within_rate(std::size_t bytes);
  // One connection's route invocations run one at a time, in the order they arose ($connect
  // before the session exists, its messages in order, $disconnect last), even when each goes to a
  // function process and completes later.
  void route(lambdas::WebSocketEvent event);
  void invoke_next();
  void on_invoked(lambdas::EventType type, const std::string& request_id, RouteOutcome outcome);

  void drain_inbox();
  void enqueue(std::shared_ptr<const std::string> frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);

  void begin_close(std::uint16_t code, std::string reason);
  void do_close();
  void arm_idle_timer(std::chrono::steady_clock::duration after);
  void arm_lifetime_timer();
  void arm_liveness_timer(std::chrono::steady_clock::duration after);
  void check_liveness();
  void finish(std::uint16_t code, std::string reason);

  ServerContext& context_;
  // Before ws_: its operations live here, so it must outlast them.
  HandlerArena arena_;
  Socket ws_;
  const ConnectInfo info_;
  const std::shared_ptr<void> slot_;
  MessageRateLimiter rate_;
  const protocol::ConnectionId connection_;  // info_.connection_id, as the handlers take it
  boost::beast::flat_buffer read_buffer_;
  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer lifetime_timer_;
  boost::asio::steady_timer liveness_timer_;

  // Strand-only state.
  bool accepted_ = false;
  bool writing_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::shared_ptr<const std::string> in_flight_;
  std::size_t queued_bytes_ = 0;
  // Set when this side decided to close: the code $disconnect reports.
  std::optional<std::pair<std::uint16_t, std::string>> our_close_;
  std::chrono::steady_clock::time_point last_message_;
  std::chrono::steady_clock::time_point last_heard_;  // any frame, control frames included
  bool ping_outstanding_ = false;
  bool peer_lost_ = false;
  std::uint64_t messages_in_ = 0;
  std::uint64_t messages_out_ = 0;
  std::deque<lambdas::WebSocketEvent> events_;  // waiting for the one being invoked
  bool invoking_ = false;
  // How the connection ended, for its connection_closed line once $disconnect has run.
  std::pair<std::uint16_t, std::string> ended_;
  std::int64_t ended_at_ms_ = 0;

  // Frames sent from any thread reach the loop through the inbox, one wake-up for as many frames
  // as arrive before it runs; the wake-up's operation lives in wake_arena_ (one at a time, claimed
  // with wake_pending_), so sending allocates nothing.
  std::mutex inbox_mutex_;
  std::vector<std::shared_ptr<const std::string>> inbox_;  // guarded by inbox_mutex_
  bool wake_pending_ = false;                              // guarded by inbox_mutex_
  HandlerArena wake_arena_;
  std::vector<std::shared_ptr<const std::string>> draining_;  // strand-only; swapped with inbox_

  // Read from other threads.
  std::atomic<bool> closing_{false};
  std::atomic<std::int64_t> last_active_at_ms_;
};

}  // namespace videochat::local
