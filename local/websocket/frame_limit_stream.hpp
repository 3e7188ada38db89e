// A stream layer between Beast's WebSocket and TCP that shows every byte read to a FrameScanner,
// so the session can close a connection that sent an oversized frame (code 1009), as API Gateway
// does. Writes pass straight through. It also hands over bytes read before the WebSocket began (a
// client may send its first frame in the same segment as the upgrade request): they are read
// first, and scanned like the rest.
#pragma once

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "frame_scanner.hpp"

namespace videochat::local {

template <class NextLayer>
class FrameLimitStream {
 public:
  using next_layer_type = NextLayer;
  using executor_type = typename NextLayer::executor_type;

  template <class... Args>
  explicit FrameLimitStream(Args&&... args)
      : next_(std::forward<Args>(args)...), scanner_(UINT64_MAX) {}

  next_layer_type& next_layer() { return next_; }
  const next_layer_type& next_layer() const { return next_; }
  executor_type get_executor() noexcept { return next_.get_executor(); }

  FrameScanner& scanner() { return scanner_; }

  // Bytes the next reads return before any from the next layer.
  void preload(std::string_view bytes) { preloaded_.append(bytes); }

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (preloaded_.size() > preloaded_read_) {
      const std::size_t copied = boost::asio::buffer_copy(
          buffers, boost::asio::buffer(preloaded_.data() + preloaded_read_,
                                       preloaded_.size() - preloaded_read_));
      preloaded_read_ += copied;
      if (preloaded_read_ == preloaded_.size()) {
        preloaded_.clear();
        preloaded_read_ = 0;
      }
      // Completed as a read would be: never inside the call that started it.
      boost::asio::post(next_.get_executor(),
                        boost::beast::bind_front_handler(
                            ScanOp<MutableBuffers, std::decay_t<Handler>>{
                                this, buffers, std::forward<Handler>(handler)},
                            boost::beast::error_code(), copied));
      return;
    }
    next_.async_read_some(
        buffers, ScanOp<MutableBuffers, std::decay_t<Handler>>{this, buffers,
                                                               std::forward<Handler>(handler)});
  }

  template <class ConstBuffers, class Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    next_.async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  // Sees the bytes, then completes the caller's operation on the caller's executor.
  template <class MutableBuffers, class Handler>
  struct ScanOp {
    FrameLimitStream* self;
    MutableBuffers buffers;
    Handler handler;

    using executor_type =
        boost::asio::associated_executor_t<Handler, typename NextLayer::executor_type>;
    executor_type get_executor() const noexcept {
      return boost::asio::get_associated_executor(handler, self->next_.get_executor());
    }
    using allocator_type = boost::asio::associated_allocator_t<Handler>;
    allocator_type get_allocator() const noexcept {
      return boost::asio::get_associated_allocator(handler);
    }

    void operator()(boost::beast::error_code ec, std::size_t bytes) {
      for (auto buffer : boost::beast::buffers_prefix(bytes, buffers)) {
        self->scanner_.feed(static_cast<const unsigned char*>(buffer.data()), buffer.size());
      }
      // Beast would answer such a length as an oversized message (1009): the read fails here
      // instead, and the session closes with 1002 itself (see WebSocketSession::on_read).
      if (self->scanner_.invalid_length() && !ec) {
        ec = boost::system::errc::make_error_code(boost::system::errc::protocol_error);
      }
      std::move(handler)(ec, bytes);
    }
  };

  NextLayer next_;
  FrameScanner scanner_;
  std::string preloaded_;
  std::size_t preloaded_read_ = 0;
};

// Beast finds these by argument-dependent lookup to shut the connection down after a close.
template <class NextLayer>
void teardown(boost::beast::role_type role, FrameLimitStream<NextLayer>& stream,
              boost::beast::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

template <class NextLayer, class TeardownHandler>
void async_teardown(boost::beast::role_type role, FrameLimitStream<NextLayer>& stream,
                    TeardownHandler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, stream.next_layer(), std::forward<TeardownHandler>(handler));
}

}  // namespace videochat::local
