// The WebSocket to the signaling API, as events for the app: opened, a text frame, closed.
// Reconnecting is the app's decision (with backoff), not this adapter's.
#pragma once

#include <emscripten/val.h>

#include <functional>
#include <memory>
#include <string>

#include "js_callback.hpp"

namespace videochat::browser {

struct SignalingEvents {
  std::function<void()> opened;
  std::function<void(std::string text)> message;
  std::function<void(int code, std::string reason)> closed;
};

class SignalingSocket final {
 public:
  explicit SignalingSocket(SignalingEvents events);
  ~SignalingSocket();

  void open(const std::string& url);
  bool is_open() const;
  // False when the socket is not open (the frame is dropped).
  bool send(const std::string& text);
  void close();

 private:
  struct Connection;
  SignalingEvents events_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace videochat::browser
