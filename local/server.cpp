#include "server.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "coalescing_loop.hpp"
#include "connection_limits.hpp"
#include "http_session.hpp"
#include "lambda/lambda_mode.hpp"
#include "lambda/lambda_pool.hpp"
#include "log_throttle.hpp"
#include "network_addresses.hpp"
#include "loop_stream.hpp"
#include "room_store_factory.hpp"
#include "server_context.hpp"
#include "tls_context.hpp"

namespace videochat::local {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::size_t descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1 << 20;
  return static_cast<std::size_t>(limit.rlim_cur);
}

double steady_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A refused connection's whole answer, written at once without waiting (a fresh socket's send
// buffer holds it) and the socket closed: it costs the server nothing more.
void refuse(int fd, const std::string& text) {
  const std::string response = service_unavailable_response(text);
  [[maybe_unused]] auto sent =
      ::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

class Server {
 public:
  // One event loop per thread, each owning its connections outright: nothing is shared between
  // threads but the room store and the registry, so a message costs no thread wake-ups unless
  // its recipients live on another loop.
  Server(Options options, std::shared_ptr<lambdas::RoomStore> store, lambdas::Logger& log,
         std::optional<lambda::LambdaMode> lambda_mode)
      : context_(std::move(options), std::move(store), log),
        loops_(make_loops(thread_count())),
        acceptor_(*loops_[0]),
        accept_timer_(*loops_[0]),
        limits_(context_.options().max_connections.value_or(
                    default_total_connections(descriptor_limit())),
                context_.options().max_connections_per_address),
        signals_(*loops_[0], SIGINT, SIGTERM),
        grace_timer_(*loops_[0]),
        flush_timer_(*loops_[0]) {
    if (lambda_mode) {
      function_folder_.emplace(std::move(lambda_mode->function));
      // On loop 0, which the main thread runs: the processes' parent-death signal follows the
      // thread that started them, and this one lives as long as the process.
      context_.use_lambda(std::make_shared<lambda::LambdaPool>(
          loops_[0]->get_executor(), std::move(lambda_mode->config), lambda_mode->scheduler,
          context_.log()));
    }
  }

  ~Server() {
    // No function process outlives the server, and none runs from a folder being removed.
    if (context_.lambda()) context_.lambda()->kill_all_now();
    // Its timers and sockets belong to loop 0: it must not outlive the loops, as it would if the
    // context, declared before them, held it.
    context_.use_lambda(nullptr);
  }

  int run() {
    const Options& options = context_.options();
    boost::system::error_code ec;
    auto address = net::ip::make_address(options.host, ec);
    if (ec) return fail("invalid --host '" + options.host + "': " + ec.message());
    if (options.tls()) {
      auto setup = make_tls_context(options.tls_cert_file, options.tls_key_file);
      if (auto* error = std::get_if<std::string>(&setup)) return fail(*error);
      auto& tls = std::get<TlsSetup>(setup);
      tls_ = tls.context;
      context_.log().write({{"event", "tls"},
                            {"certificate", options.tls_cert_file},
                            {"names", tls.names},
                            {"notAfter", tls.not_after},
                            {"versions", "TLSv1.3"}});
    }
    tcp::endpoint endpoint{address, options.port};
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    // out_of_descriptors() drains the backlog with accept() until it would block.
    if (!ec) acceptor_.non_blocking(true, ec);
    if (ec) {
      return fail("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                  ec.message());
    }
    // Before `listening`: whoever waits for that line (a test harness that must remove the
    // unpacked zip after a SIGKILL, say) has this one too.
    if (context_.lambda()) {
      context_.log().write({{"event", "lambda"},
                            {"zip", options.lambda_zip},
                            {"taskRoot", function_folder_->path()},
                            {"files", function_folder_->files()},
                            {"maxProcesses", options.lambda_max_processes},
                            {"timeoutMs", options.lambda_timeout.count()}});
    }
    announce(acceptor_.local_endpoint().port());

    do_accept();
    flush_logs_periodically();
    if (const auto& pool = context_.lambda()) pool->start();
    signals_.async_wait([this](boost::system::error_code error, int signal) {
      if (!error) shut_down(signal);
    });

    std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
    for (auto& loop : loops_) keep_running.push_back(net::make_work_guard(*loop));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < loops_.size(); ++i) {
      threads.emplace_back([loop = loops_[i].get(), window = options.coalesce_window] {
        run_coalescing(*loop, window);
      });
    }
    run_coalescing(*loops_[0], options.coalesce_window);
    stop_all();
    for (auto& thread : threads) thread.join();
    context_.log().write({{"event", "stopped"}});
    context_.log().flush();
    return 0;
  }

 private:
  unsigned thread_count() const {
    unsigned wanted = context_.options().threads;
    if (wanted == 0) wanted = std::max(1u, std::thread::hardware_concurrency());
    return wanted;
  }

  int fail(const std::string& message) {
    context_.log().write({{"event", "startup_failed"}, {"error", message}});
    std::cerr << "videochat-local: " << message << "\n";
    return 1;
  }

  void announce(unsigned short port) {
    const Options& options = context_.options();
    // A wildcard address is where the server listens, not one to browse to: announce the
    // loopback address of its family, which reaches it from this machine.
    const std::string host = options.host == "0.0.0.0" ? "127.0.0.1"
                             : options.host == "::"    ? "::1"
                                                       : options.host;
    const std::string host_port =
        (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
        std::to_string(port);
    context_.set_domain_name(host_port);
    const std::string http = options.tls() ? "https://" : "http://";
    const std::string ws = options.tls() ? "wss://" : "ws://";
    std::error_code fs_error;
    if (!std::filesystem::exists(options.web_root + "/index.html", fs_error)) {
      context_.log().write({{"event", "web_root_missing"},
                            {"webRoot", options.web_root},
                            {"note", "no index.html there; signaling works, the page will 404"}});
    }
    // Listening on every interface: the addresses a phone on the same network can open.
    std::vector<std::string> lan_urls;
    if (options.host == "0.0.0.0" || options.host == "::") {
      for (const auto& address : lan_ipv4_addresses()) {
        lan_urls.push_back(http + address + ":" + std::to_string(port) + "/");
      }
    }
    context_.log().write(
        {{"event", "listening"},
         {"url", http + host_port + "/"},
         {"lanUrls", lan_urls},
         {"signalingUrl", ws + host_port + "/" + options.stage},
         // Plain HTTP on the TLS port too, from this machine: the Lambda mode's function processes
         // reach it that way.
         {"managementApi", "http://" + host_port + "/" + options.stage + "/@connections"},
         {"port", port},
         {"webRoot", options.web_root},
         {"threads", thread_count()},
         {"coalesceUs", options.coalesce_window.count()}});
    std::cerr << "videochat-local: open " << http << host_port << "/ (signaling at " << ws
              << host_port << "/" << options.stage << ")\n";
    for (const auto& url : lan_urls) {
      std::cerr << "videochat-local: on your network: " << url
                << (options.tls() ? "" : " (a phone needs https for its camera: docs/tls.md)")
                << "\n";
    }
  }

  static std::vector<std::unique_ptr<net::io_context>> make_loops(unsigned count) {
    std::vector<std::unique_ptr<net::io_context>> loops;
    // Concurrency hint 1: each loop is run by exactly one thread.
    for (unsigned i = 0; i < count; ++i) loops.push_back(std::make_unique<net::io_context>(1));
    return loops;
  }

  // Log lines reach stdout within this long, without a write per line.
  void flush_logs_periodically() {
    flush_timer_.expires_after(std::chrono::milliseconds(50));
    flush_timer_.async_wait([this](boost::system::error_code error) {
      if (error) return;
      context_.log().flush();
      flush_logs_periodically();
    });
  }

  void stop_all() {
    for (auto& loop : loops_) loop->stop();
  }

  void do_accept() {
    // New connections go to the loops in turn.
    net::io_context& loop = *loops_[next_loop_ % loops_.size()];
    acceptor_.async_accept(loop, [this](boost::system::error_code ec, LoopSocket socket) {
      if (ec == net::error::operation_aborted) return;
      if (ec == net::error::no_descriptors ||
          ec == boost::system::errc::too_many_files_open_in_system) {
        out_of_descriptors(ec);
        return;
      }
      if (ec) {
        // A connection that went away before it was accepted, say: the next one is unaffected.
        log_throttled(accept_failed_log_, {{"event", "accept_failed"}, {"error", ec.message()}});
      } else {
        accept_backoff_ms_ = 0;
        admit(std::move(socket));
      }
      if (acceptor_.is_open()) do_accept();
    });
  }

  void admit(LoopSocket socket) {
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return;  // gone already
    auto admitted = limits_.admit(remote.address().to_string());
    if (auto* refusal = std::get_if<ConnectionLimits::Refusal>(&admitted)) {
      refuse(socket.native_handle(), refusal_text(*refusal));
      log_throttled(refused_log_, {{"event", "connection_refused"},
                                   {"reason", refusal_reason(*refusal)},
                                   {"sourceIp", remote.address().to_string()},
                                   {"connections", limits_.held()}});
      return;  // the socket closes as it goes out of scope
    }
    ++next_loop_;
    socket.set_option(tcp::no_delay(true), ec);
    start_http_session(context_, std::move(socket),
                       std::move(std::get<ConnectionLimits::Slot>(admitted)), tls_);
  }

  // accept() found no free descriptor (the process's or the system's). Retrying at once would
  // spin, failing again for as long as the connections that hold them live, so: answer every
  // connection waiting in the backlog with a 503 through one spare descriptor kept for this,
  // then pause accepting, ever longer (up to a second) while the shortage lasts.
  void out_of_descriptors(const boost::system::error_code& error) {
    std::size_t answered = 0;
    if (spare_descriptor_ >= 0) {
      ::close(spare_descriptor_);
      for (;;) {
        const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) break;
        refuse(fd, "The server has run out of file descriptors; try again shortly.");
        ::close(fd);
        ++answered;
      }
      spare_descriptor_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    accept_backoff_ms_ = std::min(1000, std::max(10, accept_backoff_ms_ * 2));
    log_throttled(accept_paused_log_, {{"event", "accept_paused"},
                                       {"error", error.message()},
                                       {"refused", answered},
                                       {"connections", limits_.held()},
                                       {"retryInMs", accept_backoff_ms_}});
    accept_timer_.expires_after(std::chrono::milliseconds(accept_backoff_ms_));
    accept_timer_.async_wait([this](boost::system::error_code timer_error) {
      if (!timer_error && acceptor_.is_open()) do_accept();
    });
  }

  // Writes the line unless one of its kind was written within the last second; the next one
  // written says how many were left out.
  void log_throttled(LogThrottle& throttle, nlohmann::json line) {
    if (auto left_out = throttle.admit(steady_ms())) {
      if (*left_out > 0) line["leftOut"] = *left_out;
      context_.log().write(std::move(line));
    }
  }

  void shut_down(int signal) {
    context_.log().write({{"event", "shutting_down"},
                          {"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"},
                          {"connections", context_.registry().size()}});
    net::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      accept_timer_.cancel();
    });
    // A second signal means "now".
    signals_.async_wait([this](boost::system::error_code error, int) {
      if (!error) stop_all();
    });
    grace_timer_.expires_after(context_.options().shutdown_grace);
    grace_timer_.async_wait([this](boost::system::error_code error) {
      if (error) return;
      context_.log().write(
          {{"event", "shutdown_grace_expired"}, {"connections", context_.registry().size()}});
      stop_all();
    });
    context_.begin_shutdown([this] {
      // Every $disconnect has run (through the function's processes, in Lambda mode); only then
      // are the processes ended.
      if (const auto& pool = context_.lambda()) {
        pool->stop([this] { stop_all(); });
      } else {
        stop_all();
      }
    });
    context_.registry().for_each(
        [](LiveConnection& connection) { connection.close(1001, "Going away"); });
  }

  std::optional<lambda::UnpackedFunction> function_folder_;  // removed after the pool's processes
  ServerContext context_;
  std::vector<std::unique_ptr<net::io_context>> loops_;
  std::size_t next_loop_ = 0;
  tcp::acceptor acceptor_;
  net::steady_timer accept_timer_;  // the pause after running out of descriptors
  int accept_backoff_ms_ = 0;
  // Kept open to be closed when descriptors run out, so that waiting connections can be answered.
  int spare_descriptor_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ConnectionLimits limits_;
  std::shared_ptr<net::ssl::context> tls_;  // with --tls-cert
  LogThrottle refused_log_;
  LogThrottle accept_failed_log_;
  LogThrottle accept_paused_log_;
  net::signal_set signals_;
  net::steady_timer grace_timer_;
  net::steady_timer flush_timer_;
};

}  // namespace

int run_server(Options options, lambdas::Logger& log) {
  auto store = make_room_store(options, log);
  if (auto* error = std::get_if<std::string>(&store)) {
    log.write({{"event", "startup_failed"}, {"error", *error}});
    log.flush();
    std::cerr << "videochat-local: " << *error << "\n";
    return 1;
  }
  std::optional<lambda::LambdaMode> lambda_mode;
  if (!options.lambda_zip.empty()) {
    auto prepared = lambda::prepare_lambda_mode(options, aws::process_environment());
    if (auto* error = std::get_if<std::string>(&prepared)) {
      log.write({{"event", "startup_failed"}, {"error", *error}});
      log.flush();
      std::cerr << "videochat-local: " << *error << "\n";
      return 1;
    }
    lambda_mode.emplace(std::get<lambda::LambdaMode>(std::move(prepared)));
  }
  Server server(std::move(options), std::get<std::shared_ptr<lambdas::RoomStore>>(store), log,
                std::move(lambda_mode));
  return server.run();
}

}  // namespace videochat::local
