// The HTTP transport's promises over plain HTTP on loopback (beast_transport.hpp): a kept-alive
// connection is reused; a request that meets a connection the server closed while it sat idle
// goes out once more, on a new one (never on another idle one); a server that stops answering
// ends the call at its timeout, and a timeout is not retried; an answer over the body limit fails
// the call; a refused connection fails at once, saying so. (TLS: tests/lambda/chroot.test.mjs.)
#include "beast_transport.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using videochat::aws::http::BeastTransport;
using videochat::aws::http::Failure;
using videochat::aws::http::Response;
using videochat::aws::http::TransportOptions;

namespace {

enum class Behaviour {
  answer,                   // every request, keeping the connection
  answer_then_close,        // one request per connection, then closes it
  pair_then_close,          // as answer_then_close, once two connections are open
  answer_once_then_silent,  // the first request of a connection, then reads on, answering none
  never_answer,
};

// A server on 127.0.0.1 that treats every connection the same way, counting them.
class ScriptedServer {
 public:
  ScriptedServer(Behaviour behaviour, std::size_t body_bytes = 2)
      : behaviour_(behaviour), body_(body_bytes, 'x') {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener_, 8) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_all(); });
  }

  ~ScriptedServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    {
      std::lock_guard lock(mutex_);
      for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);  // wakes the silent ones
    }
    acceptor_.join();
    for (auto& serving : serving_) serving.join();
    for (int fd : connections_) ::close(fd);
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  int accepted() const { return accepted_.load(); }

 private:
  void accept_all() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0 || stopping_) {
        if (fd >= 0) ::close(fd);
        return;
      }
      ++accepted_;
      std::lock_guard lock(mutex_);
      connections_.push_back(fd);
      serving_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // Reads one request's head (the transport's requests here have no body); false at the end.
  static bool read_request(int fd) {
    std::string head;
    char chunk[1024];
    while (head.find("\r\n\r\n") == std::string::npos) {
      const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) return false;
      head.append(chunk, static_cast<std::size_t>(got));
    }
    return true;
  }

  void serve(int fd) {
    for (int served = 0; read_request(fd); ++served) {
      if (behaviour_ == Behaviour::never_answer) continue;  // reads on until shut down
      if (behaviour_ == Behaviour::answer_once_then_silent && served > 0) continue;
      if (behaviour_ == Behaviour::pair_then_close) {
        const auto give_up = std::chrono::steady_clock::now() + 10s;
        while (accepted_ < 2 && std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(1ms);
        }
      }
      const std::string answer =
          "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_;
      ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
      if (behaviour_ == Behaviour::answer_then_close || behaviour_ == Behaviour::pair_then_close) {
        ::shutdown(fd, SHUT_RDWR);
        return;
      }
    }
  }

  Behaviour behaviour_;
  std::string body_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::vector<int> connections_;
  std::vector<std::thread> serving_;
  std::thread acceptor_;
};

videochat::aws::http::Request get(const std::string& url) {
  return {"GET", url, {}, ""};
}

}  // namespace

TEST_SUITE("HTTP transport") {
  TEST_CASE("calls to one origin share one kept-alive connection") {
    ScriptedServer server(Behaviour::answer);
    BeastTransport transport(TransportOptions{.tls = false});
    for (int call = 0; call < 3; ++call) {
      auto result = transport.send(get(server.url()), 5s);
      REQUIRE(std::holds_alternative<Response>(result));
      CHECK(std::get<Response>(result).status == 200);
      CHECK(std::get<Response>(result).body == "xx");
    }
    CHECK(transport.connections_opened() == 1);
    CHECK(server.accepted() == 1);
  }

  TEST_CASE("a connection the server closed while idle: the call goes out again on a new one") {
    ScriptedServer server(Behaviour::answer_then_close);
    BeastTransport transport(TransportOptions{.tls = false});
    REQUIRE(std::holds_alternative<Response>(transport.send(get(server.url()), 5s)));
    auto second = transport.send(get(server.url()), 5s);
    REQUIRE(std::holds_alternative<Response>(second));
    CHECK(std::get<Response>(second).status == 200);
    CHECK(transport.connections_opened() == 2);
  }

  TEST_CASE("a server that never answers: the call ends at its timeout and says so") {
    ScriptedServer server(Behaviour::never_answer);
    BeastTransport transport(TransportOptions{.tls = false});
    const auto started = std::chrono::steady_clock::now();
    auto result = transport.send(get(server.url()), 300ms);
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE(std::holds_alternative<Failure>(result));
    CHECK(std::get<Failure>(result).timed_out);
    CHECK(std::get<Failure>(result).message.find("timed out") != std::string::npos);
    CHECK(took >= 300ms);
    CHECK(took < 10s);  // bounded by the deadline, not by the server
  }

  TEST_CASE("a reused connection that stops answering: the timeout is returned, not retried") {
    ScriptedServer server(Behaviour::answer_once_then_silent);
    BeastTransport transport(TransportOptions{.tls = false});
    REQUIRE(std::holds_alternative<Response>(transport.send(get(server.url()), 5s)));
    auto second = transport.send(get(server.url()), 300ms);
    REQUIRE(std::holds_alternative<Failure>(second));
    CHECK(std::get<Failure>(second).timed_out);
    CHECK(transport.connections_opened() == 1);
    CHECK(server.accepted() == 1);
  }

  TEST_CASE("after the server closed every idle connection, the one retry opens a new one") {
    ScriptedServer server(Behaviour::pair_then_close);
    BeastTransport transport(TransportOptions{.tls = false});
    // Two calls at once: two connections, both kept, both then closed by the server.
    std::thread other(
        [&] { CHECK(std::holds_alternative<Response>(transport.send(get(server.url()), 15s))); });
    CHECK(std::holds_alternative<Response>(transport.send(get(server.url()), 15s)));
    other.join();
    REQUIRE(transport.connections_opened() == 2);
    auto third = transport.send(get(server.url()), 5s);
    REQUIRE(std::holds_alternative<Response>(third));
    CHECK(transport.connections_opened() == 3);  // not the second dead one
  }

  TEST_CASE("an answer larger than max_body_bytes fails the call") {
    ScriptedServer server(Behaviour::answer, 4096);
    BeastTransport transport(TransportOptions{.tls = false, .max_body_bytes = 1024});
    auto result = transport.send(get(server.url()), 5s);
    REQUIRE(std::holds_alternative<Failure>(result));
    CHECK_FALSE(std::get<Failure>(result).timed_out);
    CHECK(std::get<Failure>(result).message.find("body is over the limit of 1024 bytes") !=
          std::string::npos);
  }

  TEST_CASE("a port nobody listens on: the call fails at once, saying it could not connect") {
    // A port just freed: nothing listens there any more.
    int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
    const std::string port = std::to_string(ntohs(address.sin_port));
    ::close(probe);
    BeastTransport transport(TransportOptions{.tls = false});
    auto result = transport.send(get("http://127.0.0.1:" + port + "/"), 5s);
    REQUIRE(std::holds_alternative<Failure>(result));
    CHECK_FALSE(std::get<Failure>(result).timed_out);
    CHECK(std::get<Failure>(result).message ==
          "cannot connect to 127.0.0.1:" + port + ": Connection refused");
    CHECK(transport.connections_opened() == 0);
  }

  TEST_CASE("an https URL on a plain-HTTP transport is refused before any connection") {
    BeastTransport transport(TransportOptions{.tls = false});
    auto result = transport.send(get("https://127.0.0.1:1/"), 1s);
    REQUIRE(std::holds_alternative<Failure>(result));
    CHECK(std::get<Failure>(result).message.find("plain HTTP only") != std::string::npos);
  }
}
