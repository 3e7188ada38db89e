// The function's processes and the Runtime API they take invocations from: videochat-local's
// stand-in for the Lambda service. Each process gets its own Runtime API endpoint on a loopback
// port (as each Lambda execution environment has its own), so a request's port says which
// process asks. Invocations are queued and handed out by the InvocationScheduler; processes are
// reaped on SIGCHLD; a deadline timer kills overrunning ones. Everything runs on one executor.
#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "function_environment.hpp"
#include "invocation_scheduler.hpp"
#include "local_ssm.hpp"
#include "logger.hpp"

namespace videochat::local::lambda {

// What a process is handed for GET /invocation/next.
struct NextInvocation {
  std::string request_id;
  std::int64_t deadline_epoch_ms = 0;
  std::string function_arn;
  std::string trace_id;
  std::string payload;
};

struct InvocationResult {
  Outcome outcome = Outcome::Ok;
  std::string detail;      // Ok: the response body; otherwise what went wrong
  std::string request_id;  // Lambda's, as the function saw it
  pid_t pid = 0;           // the process that ran it; 0 if none did
};

class LambdaPool final : public std::enable_shared_from_this<LambdaPool> {
 public:
  using Done = std::function<void(InvocationResult)>;
  using Responder = std::function<void(NextInvocation)>;

  LambdaPool(boost::asio::any_io_executor executor, FunctionConfig function,
             SchedulerConfig scheduler, lambdas::Logger& log);
  ~LambdaPool();

  // Kills and reaps every process, blocking: at exit, once the event loops have stopped.
  void kill_all_now();

  // Starts the warm process. On the pool's executor.
  void start();
  // From any thread. `done` runs on the pool's executor, once.
  void invoke(std::string payload, Done done);
  // From any thread: no more invocations; processes are ended (SIGTERM, then SIGKILL after a
  // moment); `on_stopped` runs on the pool's executor once all are reaped.
  void stop(std::function<void()> on_stopped);

  // The Runtime API, for RuntimeApiSession (on the pool's executor).
  void next(ChildId child, Responder responder);
  // The HTTP status to answer with: 202, or 400 when the id is not this process's invocation.
  unsigned answer(ChildId child, const std::string& request_id, Outcome outcome,
                  std::string detail);
  void init_error(ChildId child, const std::string& description);
  // SSM's GetParameter, as the processes' AWS_ENDPOINT_URL_SSM: the TURN secret, to a request
  // signed with the function's credentials.
  SsmAnswer answer_ssm(const ReceivedRequest& request) const;

 private:
  struct Process {
    pid_t pid = 0;
    std::unique_ptr<boost::asio::ip::tcp::acceptor> runtime_api;
    Responder parked;  // its waiting GET /next
    std::chrono::steady_clock::time_point started;
    std::uint64_t invocations = 0;
    bool asked = false;  // has asked /next at least once
  };
  struct Pending {
    std::string payload;
    Done done;
    pid_t pid = 0;
  };

  void apply(std::vector<Action> actions);
  void start_process(ChildId child);
  void do_accept(ChildId child);
  void read_output(pid_t pid, int fd, const char* stream);
  void wait_for_exits();
  void on_exits();
  void arm_timer();
  void finish_stop_if_done();

  boost::asio::any_io_executor executor_;
  FunctionConfig function_;
  std::string function_arn_;
  InvocationScheduler scheduler_;
  lambdas::Logger& log_;
  boost::asio::signal_set child_exits_;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer stop_timer_;
  std::map<ChildId, Process> processes_;
  std::unordered_map<std::string, Pending> pending_;
  std::function<void()> on_stopped_;
  bool stopping_ = false;
};

}  // namespace videochat::local::lambda
