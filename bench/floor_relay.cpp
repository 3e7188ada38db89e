// videochat-floor-relay: the floor of the signaling benchmark. The cheapest relay of the same
// protocol we could write (joinRoom, sendMsgToRoom, leaveRoom; newParticipant, participantLeft),
// so that the kernel's cost of a relayed message can be measured apart from any server's own work:
// one recv per readiness event, one send per recipient, next to nothing in user space. A
// measuring instrument, not a product server: never expose it beyond loopback.
//
// Deliberately omitted, since each would add user time the floor must not include: UTF-8
// validation; fragmented frames (every frame is taken as final); limits of any kind (request,
// frame, room or connection sizes); the check that client frames are masked; protocol v2's
// from/fromPeer splice; JSON parsing (fields are found by plain string search, so the JSON must be
// compact, as JSON.stringify and nlohmann's dump() write it); \u escapes (a message holding one is
// dropped); logs beyond the "listening" line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

constexpr std::size_t kReadSize = 64 * 1024;  // one recv of up to this much per event, as libuv
constexpr int kMaxEvents = 1024;              // libuv's epoll batch too
constexpr unsigned kText = 0x1, kClose = 0x8, kPing = 0x9, kPong = 0xA;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  long coalesce_us = 0;
};

std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

void sleep_until_ns(std::int64_t deadline) {
  const timespec ts{static_cast<time_t>(deadline / 1'000'000'000),
                    static_cast<long>(deadline % 1'000'000'000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

// RFC 6455 section 4.2.2: base64(SHA-1(key + the protocol's GUID)).
std::string accept_key(std::string_view key) {
  const std::string text = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  const int size = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(size));
}

// The Sec-WebSocket-Key of a request head whose lines all end in CRLF; header names are
// case-insensitive, the key itself is not.
std::string_view websocket_key(std::string_view head) {
  std::string lower(head);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  constexpr std::string_view name = "\r\nsec-websocket-key:";
  auto value = lower.find(name);
  if (value == lower.npos) return {};
  value += name.size();
  auto end = lower.find("\r\n", value);
  while (value < end && head[value] == ' ') ++value;
  while (end > value && head[end - 1] == ' ') --end;
  return head.substr(value, end - value);
}

// The raw (still escaped) value of the string field that `key` (such as `"roomId":"`) opens.
bool raw_field(std::string_view body, std::string_view key, std::string_view& out) {
  const auto start = body.find(key);
  if (start == body.npos) return false;
  for (auto i = start + key.size(); i < body.size(); ++i) {
    if (body[i] == '\\') {
      ++i;
    } else if (body[i] == '"') {
      out = body.substr(start + key.size(), i - start - key.size());
      return true;
    }
  }
  return false;
}

// JSON string unescaping, runs between backslashes copied whole. False for \u (not worth the
// code in a floor) and anything invalid.
bool unescape(std::string_view raw, std::string& out) {
  out.clear();
  for (std::size_t i = 0;;) {
    const auto slash = raw.find('\\', i);
    out.append(raw.substr(i, slash == raw.npos ? raw.npos : slash - i));
    if (slash == raw.npos) return true;
    if (slash + 1 == raw.size()) return false;
    constexpr std::string_view escaped = "\"\\/bfnrt", meant = "\"\\/\b\f\n\r\t";
    const auto which = escaped.find(raw[slash + 1]);
    if (which == escaped.npos) return false;
    out += meant[which];
    i = slash + 2;
  }
}

// Client payloads are masked (RFC 6455 5.3); eight bytes at a time, the key repeated twice.
void unmask(char* data, std::size_t size, const char* mask) {
  std::uint64_t key;
  std::memcpy(&key, mask, 4);
  std::memcpy(reinterpret_cast<char*>(&key) + 4, mask, 4);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    word ^= key;
    std::memcpy(data + i, &word, 8);
  }
  for (; i < size; ++i) data[i] ^= mask[i % 4];
}

void append_frame_header(std::string& out, unsigned opcode, std::size_t size) {
  out += static_cast<char>(0x80 | opcode);  // FIN: the floor never fragments
  if (size < 126) {
    out += static_cast<char>(size);
  } else if (size <= 0xffff) {
    out += static_cast<char>(126);
    for (int shift = 8; shift >= 0; shift -= 8) out += static_cast<char>((size >> shift) & 0xff);
  } else {
    out += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((size >> shift) & 0xff);
  }
}

struct Connection {
  std::string id;
  std::string in;   // received, not yet a complete request or frame
  std::string out;  // what a send could not take at once; flushed on EPOLLOUT
  std::string room;
  bool in_room = false;
  bool upgraded = false;
};

class Relay final {
 public:
  explicit Relay(int epoll_fd) : epoll_(epoll_fd), read_buffer_(kReadSize) {}

  void accept_all(int listener) {
    for (;;) {
      const int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN: all taken; anything else: nothing to do about it here
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      watch(fd, EPOLL_CTL_ADD, EPOLLIN);
      connections_[fd].id = "floor-" + std::to_string(++next_id_);
    }
  }

  void on_event(int fd, std::uint32_t events) {
    const auto it = connections_.find(fd);
    if (it == connections_.end()) return;  // closed earlier in this batch
    if (events & EPOLLOUT) flush(fd, it->second);
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !on_readable(fd, it->second)) {
      close_connection(fd);
    }
  }

 private:
  void watch(int fd, int operation, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    epoll_ctl(epoll_, operation, fd, &event);
  }

  // False when the connection is to be closed.
  bool on_readable(int fd, Connection& c) {
    const auto n = recv(fd, read_buffer_.data(), read_buffer_.size(), 0);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    if (n == 0) return false;
    c.in.append(read_buffer_.data(), static_cast<std::size_t>(n));
    if (!c.upgraded && !on_handshake(fd, c)) return false;
    return !c.upgraded || on_frames(fd, c);
  }

  bool on_handshake(int fd, Connection& c) {
    const auto end = c.in.find("\r\n\r\n");
    if (end == c.in.npos) return true;  // not all of it yet
    const auto key = websocket_key(std::string_view(c.in).substr(0, end + 2));
    if (key.empty()) {
      send_or_queue(fd, c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      return false;
    }
    send_or_queue(fd, c,
                  "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                      accept_key(key) + "\r\n\r\n");
    c.in.erase(0, end + 4);
    c.upgraded = true;
    return true;
  }

  // Every complete frame in c.in, in order; the rest waits for the next recv.
  bool on_frames(int fd, Connection& c) {
    std::size_t at = 0;
    bool open = true;
    while (open && c.in.size() - at >= 2) {
      const auto* bytes = reinterpret_cast<const unsigned char*>(c.in.data() + at);
      const unsigned opcode = bytes[0] & 0x0f;
      const bool masked = bytes[1] & 0x80;
      std::uint64_t size = bytes[1] & 0x7f;
      std::size_t header = 2;
      if (size >= 126) {
        const std::size_t width = size == 126 ? 2 : 8;
        if (c.in.size() - at < 2 + width) break;
        size = 0;
        for (std::size_t i = 0; i < width; ++i) size = size << 8 | bytes[2 + i];
        header += width;
      }
      if (masked) header += 4;
      if (c.in.size() - at < header || c.in.size() - at - header < size) break;
      char* payload = c.in.data() + at + header;
      if (masked) unmask(payload, size, payload - 4);
      const std::string_view data(payload, size);
      if (opcode == kText) {
        on_text(fd, c, data);
      } else if (opcode == kPing) {
        send_frame(fd, kPong, data);
      } else if (opcode == kClose) {
        send_frame(fd, kClose, data.substr(0, 125));  // echo the status, then hang up
        open = false;
      }  // binary, pong, continuation: nothing to do
      at += header + size;
    }
    c.in.erase(0, at);
    return open;
  }

  void on_text(int fd, Connection& c, std::string_view body) {
    std::string_view action, raw_room, raw_message;
    if (!raw_field(body, "\"action\":\"", action)) return;
    if (action == "sendMsgToRoom") {
      // Only a member may send to its room; the room named must be the sender's own.
      if (!c.in_room || !raw_field(body, "\"roomId\":\"", raw_room) ||
          !raw_field(body, "\"message\":\"", raw_message) || !unescape(raw_room, room_) ||
          room_ != c.room || !unescape(raw_message, text_)) {
        return;
      }
      for (const int member : rooms_[c.room]) {
        if (member != fd) send_frame(member, kText, text_);
      }
    } else if (action == "joinRoom") {
      if (!raw_field(body, "\"roomId\":\"", raw_room) || !unescape(raw_room, room_)) return;
      if (c.in_room) leave(fd, c, "left");
      auto& members = rooms_[room_];
      const std::string notice =
          R"({"type":"newParticipant","participantConnectionId":")" + c.id + "\"}";
      for (const int member : members) send_frame(member, kText, notice);
      members.push_back(fd);
      c.room = room_;
      c.in_room = true;
    } else if (action == "leaveRoom") {
      leave(fd, c, "left");
    }
  }

  void leave(int fd, Connection& c, std::string_view reason) {
    if (!c.in_room) return;
    c.in_room = false;
    const auto room = rooms_.find(c.room);
    auto& members = room->second;
    std::erase(members, fd);
    const std::string notice = R"({"type":"participantLeft","participantConnectionId":")" + c.id +
                               R"(","reason":")" + std::string(reason) + "\"}";
    for (const int member : members) send_frame(member, kText, notice);
    if (members.empty()) rooms_.erase(room);
  }

  void send_frame(int fd, unsigned opcode, std::string_view payload) {
    const auto it = connections_.find(fd);
    if (it == connections_.end()) return;
    frame_.clear();
    append_frame_header(frame_, opcode, payload.size());
    frame_.append(payload);
    send_or_queue(fd, it->second, frame_);
  }

  // Header and payload in one send; what the socket cannot take now waits in c.out (and so does
  // everything after it, to keep the order) until EPOLLOUT.
  void send_or_queue(int fd, Connection& c, std::string_view bytes) {
    if (!c.out.empty()) {
      c.out.append(bytes);
      return;
    }
    auto n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(bytes.size())) return;
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) return;  // a dead peer; its read event closes it
      n = 0;
    }
    c.out.append(bytes.substr(static_cast<std::size_t>(n)));
    watch(fd, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
  }

  void flush(int fd, Connection& c) {
    const auto n = send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) return;  // EAGAIN: wait again; anything else: the read event closes it
    c.out.erase(0, static_cast<std::size_t>(n));
    if (c.out.empty()) watch(fd, EPOLL_CTL_MOD, EPOLLIN);
  }

  void close_connection(int fd) {
    leave(fd, connections_[fd], "disconnected");
    close(fd);  // also takes it out of the epoll set
    connections_.erase(fd);
  }

  int epoll_;
  std::vector<char> read_buffer_;
  std::unordered_map<int, Connection> connections_;
  std::unordered_map<std::string, std::vector<int>> rooms_;
  std::string frame_, room_, text_;  // scratch, reused so the hot path does not allocate
  std::uint64_t next_id_ = 0;
};

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    char* end = nullptr;
    const long value = std::strtol(argv[i + 1], &end, 10);
    const bool number = *end == '\0' && value >= 0;
    if (flag == "--host") {
      options.host = argv[i + 1];
    } else if (flag == "--port" && number && value <= 65535) {
      options.port = static_cast<int>(value);
    } else if (flag == "--coalesce-us" && number) {
      options.coalesce_us = value;
    } else {
      return false;
    }
  }
  return argc % 2 == 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) {
    std::fprintf(stderr,
                 "Usage: videochat-floor-relay [--port N] [--host IPV4] [--coalesce-us N]\n");
    return 2;
  }
  // SIGTERM and SIGINT arrive as a readable descriptor, so the loop ends between two events.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  const int signal_fd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(options.port));
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  socklen_t length = sizeof address;
  if (inet_pton(AF_INET, options.host.c_str(), &address.sin_addr) != 1 ||
      bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener, SOMAXCONN) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::fprintf(stderr, "videochat-floor-relay: cannot listen on %s:%d: %s\n",
                 options.host.c_str(), options.port, std::strerror(errno));
    return 1;
  }
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  for (const int fd : {listener, signal_fd}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  }
  std::printf("{\"event\":\"listening\",\"port\":%d,\"pid\":%d}\n", ntohs(address.sin_port),
              static_cast<int>(getpid()));
  std::fflush(stdout);

  Relay relay(epoll_fd);
  std::vector<epoll_event> events(kMaxEvents);
  bool running = true;
  const auto dispatch = [&](int n) {
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == listener) {
        relay.accept_all(listener);
      } else if (fd == signal_fd) {
        running = false;
      } else {
        relay.on_event(fd, events[static_cast<std::size_t>(i)].events);
      }
    }
  };
  const auto poll = [&](int timeout_ms) {
    const int n = epoll_wait(epoll_fd, events.data(), kMaxEvents, timeout_ms);
    return n < 0 ? 0 : n;  // EINTR (after SIGSTOP and SIGCONT, say): the loop comes round again
  };
  const std::int64_t coalesce_ns = options.coalesce_us * 1000;
  std::int64_t wake_started = now_ns() - coalesce_ns;
  while (running) {
    int n = poll(-1);
    if (coalesce_ns == 0) {
      // libuv's rhythm: handle what one epoll_wait returned; only a full batch asks again at once.
      dispatch(n);
      while (running && n == kMaxEvents) dispatch(n = poll(0));
      continue;
    }
    // Interrupt moderation: at most one wake-up per coalesce_ns. Waking sooner, sleep out the rest
    // of the period, then ask again: level-triggered, so what woke us is still reported, with all
    // that arrived meanwhile. An idle relay still answers at once.
    const std::int64_t woke = now_ns();
    if (woke - wake_started < coalesce_ns) {
      wake_started += coalesce_ns;
      sleep_until_ns(wake_started);
      n = poll(0);
    } else {
      wake_started = woke;
    }
    while (running && n > 0) {
      dispatch(n);
      n = poll(0);
    }
  }
  return 0;  // and the kernel closes every socket
}
