#include "lambda_pool.hpp"

#include "epoch_time.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <nlohmann/json.hpp>

#include "function_process.hpp"
#include "lambda_ids.hpp"
#include "runtime_api_session.hpp"

namespace videochat::local::lambda {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Longer lines from a process are logged in pieces of this size.
constexpr std::size_t kMaxLogLine = 64 * 1024;
// After SIGTERM at shutdown, how long processes get before SIGKILL.
constexpr auto kStopGrace = std::chrono::seconds(2);

// A process's stdout or stderr, one log line per line it writes: JSON lines (the function's own
// log) are nested as they are, anything else kept as text.
class OutputReader final : public std::enable_shared_from_this<OutputReader> {
 public:
  OutputReader(net::any_io_executor executor, int fd, pid_t pid, const char* stream,
               lambdas::Logger& log)
      : pipe_(executor, fd), pid_(pid), stream_(stream), log_(log) {}

  void read() {
    net::async_read_until(
        pipe_, net::dynamic_buffer(buffer_, kMaxLogLine), '\n',
        [self = shared_from_this()](boost::system::error_code ec, std::size_t length) {
          self->on_read(ec, length);
        });
  }

 private:
  void on_read(boost::system::error_code ec, std::size_t length) {
    if (!ec) {
      emit(buffer_.substr(0, length - 1));
      buffer_.erase(0, length);
      read();
    } else if (ec == net::error::not_found) {  // a line longer than the limit
      emit(buffer_);
      buffer_.clear();
      read();
    } else if (!buffer_.empty()) {  // the process ended mid-line
      emit(buffer_);
    }
  }

  void emit(const std::string& text) {
    if (text.empty()) return;
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    log_.write({{"event", "function_log"},
                {"pid", pid_},
                {"stream", stream_},
                {"line", parsed.is_discarded() ? nlohmann::json(text) : std::move(parsed)}});
  }

  net::posix::stream_descriptor pipe_;
  pid_t pid_;
  const char* stream_;
  lambdas::Logger& log_;
  std::string buffer_;
};

}  // namespace

LambdaPool::LambdaPool(net::any_io_executor executor, FunctionConfig function,
                       SchedulerConfig scheduler, lambdas::Logger& log)
    : executor_(executor),
      function_(std::move(function)),
      function_arn_("arn:aws:lambda:" + function_.region +
                    ":000000000000:function:" + function_.function_name),
      scheduler_(scheduler),
      log_(log),
      child_exits_(executor, SIGCHLD),
      timer_(executor),
      stop_timer_(executor) {}

LambdaPool::~LambdaPool() {
  kill_all_now();
}

void LambdaPool::kill_all_now() {
  for (auto& [id, process] : processes_) {
    ::kill(process.pid, SIGKILL);
    int status = 0;
    while (::waitpid(process.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  processes_.clear();
}

void LambdaPool::start() {
  wait_for_exits();
  apply(scheduler_.start(Clock::now()));
}

void LambdaPool::invoke(std::string payload, Done done) {
  net::post(executor_, [self = shared_from_this(), payload = std::move(payload),
                        done = std::move(done)]() mutable {
    std::string id = new_lambda_request_id();
    self->pending_[id] = Pending{std::move(payload), std::move(done), 0};
    self->apply(self->scheduler_.submit(std::move(id), Clock::now()));
  });
}

void LambdaPool::stop(std::function<void()> on_stopped) {
  net::post(executor_, [self = shared_from_this(), on_stopped = std::move(on_stopped)]() mutable {
    if (self->stopping_) return;
    self->stopping_ = true;
    self->on_stopped_ = std::move(on_stopped);
    self->log_.write({{"event", "function_stopping"}, {"processes", self->processes_.size()}});
    self->apply(self->scheduler_.stop());
    self->stop_timer_.expires_after(kStopGrace);
    self->stop_timer_.async_wait([self](boost::system::error_code ec) {
      if (ec) return;
      for (auto& [id, process] : self->processes_) ::kill(process.pid, SIGKILL);
    });
    self->finish_stop_if_done();
  });
}

void LambdaPool::next(ChildId child, Responder responder) {
  auto it = processes_.find(child);
  if (it == processes_.end()) return;  // a process being reaped: its connection is dropped
  it->second.parked = std::move(responder);
  it->second.asked = true;
  apply(scheduler_.next_requested(child, Clock::now()));
}

unsigned LambdaPool::answer(ChildId child, const std::string& request_id, Outcome outcome,
                            std::string detail) {
  if (scheduler_.running_on(child) != request_id) return 400;
  apply(scheduler_.answered(child, outcome, std::move(detail)));
  return 202;
}

void LambdaPool::init_error(ChildId child, const std::string& description) {
  auto it = processes_.find(child);
  log_.write({{"event", "function_init_error"},
              {"pid", it == processes_.end() ? 0 : it->second.pid},
              {"error", description}});
  apply(scheduler_.init_failed(child, Clock::now()));
}

SsmAnswer LambdaPool::answer_ssm(const ReceivedRequest& request) const {
  std::optional<LocalParameter> parameter;
  if (!function_.turn_urls.empty()) {
    parameter = LocalParameter{function_.turn_secret_parameter, function_.turn_secret};
  }
  return answer_ssm_request(
      request, parameter,
      ManagementCredentials{function_.access_key_id, function_.secret_access_key, function_.region},
      std::chrono::system_clock::now());
}

void LambdaPool::apply(std::vector<Action> actions) {
  for (auto& action : actions) {
    if (auto* start = std::get_if<StartChild>(&action)) {
      start_process(start->child);
    } else if (auto* hand = std::get_if<Hand>(&action)) {
      auto process = processes_.find(hand->child);
      auto pending = pending_.find(hand->request_id);
      if (process == processes_.end() || !process->second.parked || pending == pending_.end()) {
        continue;  // cannot happen: the scheduler hands only to processes waiting on /next
      }
      pending->second.pid = process->second.pid;
      ++process->second.invocations;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(hand->deadline - Clock::now());
      NextInvocation invocation{hand->request_id, epoch_ms_now() + left.count(), function_arn_,
                                new_trace_id(epoch_ms_now() / 1000), pending->second.payload};
      auto responder = std::move(process->second.parked);
      process->second.parked = nullptr;
      responder(std::move(invocation));
    } else if (auto* complete = std::get_if<Complete>(&action)) {
      auto pending = pending_.find(complete->request_id);
      if (pending == pending_.end()) continue;
      Pending done = std::move(pending->second);
      pending_.erase(pending);
      done.done(InvocationResult{complete->outcome, std::move(complete->detail),
                                 complete->request_id, done.pid});
    } else if (auto* kill = std::get_if<Kill>(&action)) {
      auto process = processes_.find(kill->child);
      if (process != processes_.end())
        ::kill(process->second.pid, kill->polite ? SIGTERM : SIGKILL);
    }
  }
  arm_timer();
}

void LambdaPool::start_process(ChildId child) {
  Process process;
  process.started = Clock::now();
  process.runtime_api = std::make_unique<tcp::acceptor>(executor_);
  boost::system::error_code ec;
  tcp::endpoint loopback{net::ip::address_v4::loopback(), 0};
  process.runtime_api->open(loopback.protocol(), ec);
  if (!ec) process.runtime_api->bind(loopback, ec);
  if (!ec) process.runtime_api->listen(net::socket_base::max_listen_connections, ec);
  std::string failure;
  std::string runtime_api;
  if (ec) {
    failure = "cannot listen for its Runtime API: " + ec.message();
  } else {
    runtime_api = "127.0.0.1:" + std::to_string(process.runtime_api->local_endpoint().port());
    auto spawned = spawn_function(function_.task_root + "/bootstrap", function_.task_root,
                                  function_environment(function_, runtime_api));
    if (auto* error = std::get_if<std::string>(&spawned)) {
      failure = *error;
    } else {
      auto& running = std::get<SpawnedProcess>(spawned);
      process.pid = running.pid;
      std::make_shared<OutputReader>(executor_, running.stdout_fd, running.pid, "stdout", log_)
          ->read();
      std::make_shared<OutputReader>(executor_, running.stderr_fd, running.pid, "stderr", log_)
          ->read();
    }
  }
  if (!failure.empty()) {
    log_.write({{"event", "function_start_failed"}, {"error", failure}});
    // Reported as an exit, after this round of actions, so the scheduler backs off.
    net::post(executor_, [self = shared_from_this(), child, failure] {
      self->apply(self->scheduler_.exited(child, "not started: " + failure, Clock::now()));
    });
    return;
  }
  log_.write({{"event", "function_started"}, {"pid", process.pid}, {"runtimeApi", runtime_api}});
  processes_.emplace(child, std::move(process));
  do_accept(child);
}

void LambdaPool::do_accept(ChildId child) {
  auto it = processes_.find(child);
  if (it == processes_.end()) return;
  it->second.runtime_api->async_accept(
      [self = shared_from_this(), child](boost::system::error_code ec, tcp::socket socket) {
        if (ec) return;  // closed: the process is gone
        boost::system::error_code peer_error;
        auto peer = socket.remote_endpoint(peer_error);
        // Bound to 127.0.0.1 already; checked anyway, as the management API is.
        if (!peer_error && peer.address().is_loopback()) {
          socket.set_option(tcp::no_delay(true), peer_error);
          std::make_shared<RuntimeApiSession>(self, child, std::move(socket))->run();
        }
        self->do_accept(child);
      });
}

void LambdaPool::wait_for_exits() {
  child_exits_.async_wait([self = shared_from_this()](boost::system::error_code ec, int) {
    if (ec) return;
    self->on_exits();
    self->wait_for_exits();
  });
}

void LambdaPool::on_exits() {
  // SIGCHLD coalesces: one signal may stand for several exits, so every process is checked.
  // waitpid by pid, never -1, so no one else's child is reaped here.
  std::vector<std::pair<ChildId, std::string>> ended;
  for (auto& [id, process] : processes_) {
    if (auto how = reap_if_exited(process.pid)) ended.emplace_back(id, std::move(*how));
  }
  for (auto& [id, how] : ended) {
    auto it = processes_.find(id);
    Process process = std::move(it->second);
    processes_.erase(it);
    boost::system::error_code ignored;
    process.runtime_api->close(ignored);
    log_.write({{"event", "function_exited"},
                {"pid", process.pid},
                {"how", how},
                {"invocations", process.invocations},
                {"uptimeMs", std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                                                   process.started)
                                 .count()}});
    apply(scheduler_.exited(id, how, Clock::now()));
  }
  finish_stop_if_done();
}

void LambdaPool::arm_timer() {
  auto wakeup = scheduler_.next_wakeup();
  if (!wakeup) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(*wakeup);
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;  // re-armed or cancelled
    if (auto self = weak.lock()) self->apply(self->scheduler_.tick(Clock::now()));
  });
}

void LambdaPool::finish_stop_if_done() {
  if (!stopping_ || !processes_.empty() || !on_stopped_) return;
  stop_timer_.cancel();
  child_exits_.cancel();
  timer_.cancel();
  log_.write({{"event", "function_stopped"}});
  auto done = std::move(on_stopped_);
  on_stopped_ = nullptr;
  done();
}

}  // namespace videochat::local::lambda
