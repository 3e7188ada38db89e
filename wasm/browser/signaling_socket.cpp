#include "signaling_socket.hpp"

namespace videochat::browser {

using emscripten::val;

// One WebSocket and its handlers; replaced wholesale on reconnect, so a late event from an old
// socket finds its callbacks gone.
struct SignalingSocket::Connection {
  val socket;
  JsCallback on_open;
  JsCallback on_message;
  JsCallback on_close;

  Connection(val ws, JsHandler opened, JsHandler message, JsHandler closed)
      : socket(std::move(ws)),
        on_open(std::move(opened)),
        on_message(std::move(message)),
        on_close(std::move(closed)) {
    socket.set("onopen", on_open.function());
    socket.set("onmessage", on_message.function());
    socket.set("onclose", on_close.function());
  }
};

SignalingSocket::SignalingSocket(SignalingEvents events) : events_(std::move(events)) {}
SignalingSocket::~SignalingSocket() { close(); }

void SignalingSocket::open(const std::string& url) {
  close();
  val socket = val::global("WebSocket").new_(url);
  connection_ = std::make_unique<Connection>(
      socket, [this](val) { if (events_.opened) events_.opened(); },
      [this](val event) {
        val data = event["data"];
        // Text frames only: the API sends nothing else.
        if (data.isString() && events_.message) events_.message(data.as<std::string>());
      },
      [this](val event) {
        int code = event["code"].as<int>();
        std::string reason = event["reason"].as<std::string>();
        // Drop the connection first: the handler may open a new one.
        auto gone = std::move(connection_);
        if (events_.closed) events_.closed(code, reason);
        (void)gone;
      });
}

bool SignalingSocket::is_open() const {
  return connection_ && connection_->socket["readyState"].as<int>() == 1;
}

bool SignalingSocket::send(const std::string& text) {
  if (!is_open()) return false;
  connection_->socket.call<void>("send", text);
  return true;
}

void SignalingSocket::close() {
  if (!connection_) return;
  auto connection = std::move(connection_);
  connection->socket.set("onopen", val::null());
  connection->socket.set("onmessage", val::null());
  connection->socket.set("onclose", val::null());
  connection->socket.call<void>("close", 1000);
}

}  // namespace videochat::browser
