// videochat-bench: a signaling load generator. N WebSocket clients in M rooms join through
// joinRoom, then each sends sendMsgToRoom at a given rate; every delivery is checked (exactly once,
// to every other member) and timed from the moment of sending. Works against any server speaking
// the tutorial's protocol; refuses addresses outside 127.0.0.0/8.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "delivery_ledger.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using videochat::bench::BenchMessage;
using videochat::bench::DeliveryLedger;

struct Settings {
  std::string url = "ws://127.0.0.1:8080/production";
  int clients = 20;
  int rooms = 10;
  double rate = 10;        // messages per second per client
  double duration = 5;     // seconds of sending
  double drain = 2;        // seconds to wait for late deliveries
  int server_pid = 0;      // for CPU time per delivered message
  // The server's allocation count (bench/allocation_counter.c), for allocations per message.
  std::string allocation_counter;
  std::string label;
};

std::int64_t now_ns(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

// A process's CPU time so far, in seconds: in user space (utime) and in the kernel on its behalf
// (stime: syscalls, and on loopback the TCP receive path its sends run into).
struct CpuTimes {
  double user = 0;
  double kernel = 0;
};

CpuTimes cpu_times(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  auto close = text.rfind(')');
  if (close == std::string::npos) return {-1, -1};
  std::istringstream fields(text.substr(close + 2));
  std::string skip;
  for (int i = 3; i <= 13; ++i) fields >> skip;  // fields 3..13
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {utime / tick, stime / tick};
}

// The count a preloaded allocation counter keeps in its file; -1 when there is none to read.
double allocations_so_far(const std::string& path) {
  if (path.empty()) return -1;
  std::ifstream file(path, std::ios::binary);
  unsigned long long count = 0;
  if (!file.read(reinterpret_cast<char*>(&count), sizeof count)) return -1;
  return static_cast<double>(count);
}

struct Shared {
  Settings settings;
  DeliveryLedger ledger;
  Clock::time_point start = Clock::now();
  int joined = 0, connected = 0, failed = 0;
  bool sending = false;
  std::vector<std::vector<int>> room_members;
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(net::io_context& io, Shared& shared, int id)
      : shared_(shared), id_(id), ws_(io), timer_(io), resolver_(io) {}

  void start(const std::string& host, const std::string& port, const std::string& path) {
    path_ = path;
    host_ = host + ":" + port;
    resolver_.async_resolve(host, port, [self = shared_from_this()](auto ec, auto results) {
      if (ec) return self->fail("resolve", ec);
      beast::get_lowest_layer(self->ws_).async_connect(
          results, [self](auto ec, auto) {
            if (ec) return self->fail("connect", ec);
            beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
            self->ws_.async_handshake(self->host_, self->path_, [self](auto ec) {
              if (ec) return self->fail("handshake", ec);
              ++self->shared_.connected;
              self->do_read();
            });
          });
    });
  }

  void join(const std::string& room) {
    write(nlohmann::json{{"action", "joinRoom"}, {"roomId", room}}.dump());
  }

  void start_sending(const std::string& room) {
    room_ = room;
    interval_ = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / shared_.settings.rate));
    // Spread the clients' first sends over one interval so they do not all fire together.
    next_send_ = Clock::now() + interval_ * id_ / std::max(1, shared_.settings.clients);
    schedule();
  }

 private:
  void fail(const char* what, beast::error_code ec) {
    if (!failed_) {
      failed_ = true;
      ++shared_.failed;
      std::cerr << "client " << id_ << ": " << what << ": " << ec.message() << "\n";
    }
  }

  void schedule() {
    timer_.expires_at(next_send_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || !self->shared_.sending) return;
      self->send_one();
      self->next_send_ += self->interval_;
      self->schedule();
    });
  }

  void send_one() {
    BenchMessage message{id_, ++sequence_, now_ns(shared_.start)};
    const auto& room = shared_.room_members[static_cast<std::size_t>(id_ % shared_.settings.rooms)];
    std::vector<int> recipients;
    for (int member : room) {
      if (member != id_) recipients.push_back(member);
    }
    shared_.ledger.sent(id_, message.sequence, message.sent_ns, recipients);
    write(nlohmann::json{{"action", "sendMsgToRoom"},
                         {"roomId", room_},
                         {"message", videochat::bench::format_bench_message(message)}}
              .dump());
  }

  void write(std::string text) {
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()), [self = shared_from_this()](auto ec, auto) {
      if (ec) return self->fail("write", ec);
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->do_write();
    });
  }

  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        if (self->shared_.sending) self->fail("read", ec);
        return;
      }
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      self->on_message(text);
      self->do_read();
    });
  }

  void on_message(const std::string& text) {
    BenchMessage message;
    if (videochat::bench::parse_bench_message(text, message)) {
      shared_.ledger.received(id_, message.client, message.sequence, now_ns(shared_.start));
    } else if (text.find("\"newParticipant\"") != std::string::npos) {
      ++shared_.joined;  // counted as join confirmations
    }
  }

  Shared& shared_;
  int id_;
  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer timer_;
  tcp::resolver resolver_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::string path_, host_, room_;
  std::chrono::nanoseconds interval_{};
  Clock::time_point next_send_;
  std::uint64_t sequence_ = 0;
  bool failed_ = false;
};

std::string usage() {
  return "Usage: videochat-bench --url ws://127.0.0.1:PORT/STAGE [--clients N] [--rooms M]\n"
         "       [--rate MSGS_PER_S_PER_CLIENT] [--duration S] [--drain S] [--server-pid PID]\n"
         "       [--allocation-counter FILE] [--label TEXT]\n";
}

bool parse(int argc, char** argv, Settings& s, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      error = flag + " needs a value";
      return false;
    }
    std::string value = argv[++i];
    try {
      if (flag == "--url") s.url = value;
      else if (flag == "--clients") s.clients = std::stoi(value);
      else if (flag == "--rooms") s.rooms = std::stoi(value);
      else if (flag == "--rate") s.rate = std::stod(value);
      else if (flag == "--duration") s.duration = std::stod(value);
      else if (flag == "--drain") s.drain = std::stod(value);
      else if (flag == "--server-pid") s.server_pid = std::stoi(value);
      else if (flag == "--allocation-counter") s.allocation_counter = value;
      else if (flag == "--label") s.label = value;
      else {
        error = "unknown option " + flag;
        return false;
      }
    } catch (const std::exception&) {
      error = flag + " takes a number, not '" + value + "'";
      return false;
    }
  }
  if (s.clients < 2 || s.rooms < 1 || s.rooms > s.clients || s.rate <= 0 || s.duration <= 0 ||
      s.duration > 600) {
    error = "need 2+ clients, 1..clients rooms, a positive rate and 0 < duration <= 600 s";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  std::string error;
  if (!parse(argc, argv, settings, error)) {
    std::cerr << "videochat-bench: " << error << "\n" << usage();
    return 2;
  }
  // ws://HOST:PORT/PATH, loopback only: a load generator must never hit someone else's server.
  const std::string prefix = "ws://";
  if (settings.url.rfind(prefix, 0) != 0) {
    std::cerr << "videochat-bench: --url must start with ws://\n";
    return 2;
  }
  std::string rest = settings.url.substr(prefix.size());
  std::string authority = rest.substr(0, rest.find('/'));
  std::string path = rest.find('/') == std::string::npos ? "/" : rest.substr(rest.find('/'));
  std::string host = authority.substr(0, authority.rfind(':'));
  std::string port = authority.rfind(':') == std::string::npos ? "80" : authority.substr(authority.rfind(':') + 1);
  boost::system::error_code address_error;
  auto address = net::ip::make_address_v4(host, address_error);
  if (address_error || (address.to_uint() >> 24) != 127) {
    std::cerr << "videochat-bench: refusing " << host << ": only 127.0.0.0/8 addresses\n";
    return 2;
  }

  net::io_context io;
  Shared shared;
  shared.settings = settings;
  shared.room_members.resize(static_cast<std::size_t>(settings.rooms));
  std::vector<std::shared_ptr<Client>> clients;
  for (int i = 0; i < settings.clients; ++i) {
    shared.room_members[static_cast<std::size_t>(i % settings.rooms)].push_back(i);
    clients.push_back(std::make_shared<Client>(io, shared, i));
    clients.back()->start(host, port, path);
  }
  auto room_name = [&](int client) { return "bench-" + std::to_string(client % settings.rooms); };
  auto run_until = [&](auto done, double seconds) {
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (!done() && Clock::now() < deadline) io.run_for(std::chrono::milliseconds(20));
    return done();
  };

  if (!run_until([&] { return shared.connected + shared.failed == settings.clients; }, 30) ||
      shared.failed > 0) {
    std::cerr << "videochat-bench: only " << shared.connected << " of " << settings.clients
              << " clients connected\n";
    return 1;
  }
  // Each member is told of every later joiner of its room: that many notices confirm the joins.
  long expected_notices = 0;
  for (const auto& members : shared.room_members) {
    expected_notices += static_cast<long>(members.size() * (members.size() - 1) / 2);
  }
  for (int i = 0; i < settings.clients; ++i) clients[static_cast<std::size_t>(i)]->join(room_name(i));
  if (!run_until([&] { return shared.joined >= expected_notices; }, 30)) {
    std::cerr << "videochat-bench: joins not confirmed (" << shared.joined << " of "
              << expected_notices << " newParticipant notices)\n";
    return 1;
  }

  const CpuTimes cpu_before = settings.server_pid ? cpu_times(settings.server_pid) : CpuTimes{};
  const double allocations_before = allocations_so_far(settings.allocation_counter);
  shared.sending = true;
  const auto send_start = Clock::now();
  for (int i = 0; i < settings.clients; ++i) clients[static_cast<std::size_t>(i)]->start_sending(room_name(i));
  run_until([] { return false; }, settings.duration);
  shared.sending = false;
  const double sent_seconds = std::chrono::duration<double>(Clock::now() - send_start).count();
  run_until([&] { return shared.ledger.all_delivered(); }, settings.drain);
  const CpuTimes cpu_after = settings.server_pid ? cpu_times(settings.server_pid) : CpuTimes{};
  const double allocations_after = allocations_so_far(settings.allocation_counter);

  auto report = shared.ledger.report();
  const double rate = static_cast<double>(report.delivered) / sent_seconds;
  const auto per_message_us = [&](double seconds) {
    return report.delivered && settings.server_pid
               ? seconds * 1e6 / static_cast<double>(report.delivered)
               : 0;
  };
  const double user_us = per_message_us(cpu_after.user - cpu_before.user);
  const double kernel_us = per_message_us(cpu_after.kernel - cpu_before.kernel);
  const double cpu_us = user_us + kernel_us;
  std::printf("%s%s%d clients in %d rooms at %.0f msg/s each for %.1f s\n",
              settings.label.c_str(), settings.label.empty() ? "" : ": ", settings.clients,
              settings.rooms, settings.rate, settings.duration);
  std::printf("  sent %llu, delivered %llu of %llu (%.0f/s), lost %llu, duplicated %llu, "
              "unexpected %llu\n",
              (unsigned long long)report.sent, (unsigned long long)report.delivered,
              (unsigned long long)report.expected, rate, (unsigned long long)report.lost,
              (unsigned long long)report.duplicated, (unsigned long long)report.unexpected);
  std::printf("  latency p50 %.2f ms, p99 %.2f ms, max %.2f ms", report.p50_ms, report.p99_ms,
              report.max_ms);
  if (settings.server_pid) {
    std::printf(", server CPU %.2f us per delivered message (user %.2f, kernel %.2f)", cpu_us,
                user_us, kernel_us);
  }
  const bool counted = allocations_before >= 0 && allocations_after >= 0 && report.delivered;
  const double allocations_per_message =
      counted ? (allocations_after - allocations_before) / static_cast<double>(report.delivered)
              : 0;
  if (counted) std::printf(", %.2f heap allocations per message", allocations_per_message);
  std::printf("\n");
  nlohmann::json line = {{"label", settings.label},
                         {"clients", settings.clients},
                         {"rooms", settings.rooms},
                         {"ratePerClient", settings.rate},
                         {"durationS", sent_seconds},
                         {"sent", report.sent},
                         {"expected", report.expected},
                         {"delivered", report.delivered},
                         {"deliveredPerS", rate},
                         {"lost", report.lost},
                         {"duplicated", report.duplicated},
                         {"unexpected", report.unexpected},
                         {"p50Ms", report.p50_ms},
                         {"p99Ms", report.p99_ms},
                         {"maxMs", report.max_ms}};
  if (settings.server_pid) {
    line["serverCpuUsPerMessage"] = cpu_us;
    line["serverUserUsPerMessage"] = user_us;
    line["serverKernelUsPerMessage"] = kernel_us;
  }
  if (counted) line["serverAllocationsPerMessage"] = allocations_per_message;
  std::printf("%s\n", line.dump().c_str());
  return 0;
}
