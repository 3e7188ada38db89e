// Which function process runs which invocation, as Lambda schedules a function: invocations wait
// in one queue; a process that asks the Runtime API for the next invocation gets the oldest one,
// one at a time; when invocations wait and no process is free, another process starts, up to a
// maximum. A process that dies or overruns its invocation's deadline costs that invocation (it is
// answered with an error), and processes that die before serving anything are restarted with
// growing delays instead of in a tight loop.
//
// Sans-I/O: events and the current time in, actions out (start, hand over, complete, kill), and
// the next moment it wants to be called again. lambda_pool.cpp carries the actions out.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace videochat::local::lambda {

using TimePoint = std::chrono::steady_clock::time_point;
using Milliseconds = std::chrono::milliseconds;

// The scheduler's own name for a process; the pool maps it to a pid.
using ChildId = std::uint64_t;

enum class Outcome {
  Ok,             // the function posted a response
  FunctionError,  // the function posted to /error
  Crashed,        // its process exited (or was killed) while running it
  TimedOut,       // it ran past its deadline (its process is killed), or waited too long to start
  NotStarted,     // no process could start to run it (init errors), or the emulator is stopping
};
std::string_view to_string(Outcome outcome);

struct SchedulerConfig {
  std::size_t max_processes = 4;
  // Processes kept running even with nothing to do (and replaced when they die), so the first
  // invocation does not pay for a cold start.
  std::size_t min_processes = 1;
  Milliseconds timeout{10000};  // from hand-over to answer
  // How long an invocation may wait for a process: API Gateway's integration timeout.
  Milliseconds queue_timeout{29000};
  // Delay before restarting after a process died without serving anything: doubling from the
  // first to the second.
  Milliseconds restart_backoff_first{100};
  Milliseconds restart_backoff_max{5000};
};

// Start a new process and report it with started() (or exited(), if it could not be started).
struct StartChild {
  ChildId child;
};
// Answer this process's waiting /next with this invocation.
struct Hand {
  ChildId child;
  std::string request_id;
  TimePoint deadline;
};
// This invocation is over: `detail` is the response body for Ok, else what went wrong.
struct Complete {
  std::string request_id;
  Outcome outcome;
  std::string detail;
  std::optional<ChildId> child;  // who ran it, if anyone
};
// End this process: SIGKILL, or SIGTERM when `polite` (at shutdown); its exit is reported with
// exited() as usual.
struct Kill {
  ChildId child;
  bool polite = false;
};
using Action = std::variant<StartChild, Hand, Complete, Kill>;

class InvocationScheduler {
 public:
  explicit InvocationScheduler(SchedulerConfig config) : config_(config) {}

  // Starts the warm processes.
  std::vector<Action> start(TimePoint now);
  std::vector<Action> submit(std::string request_id, TimePoint now);
  // The process asks /next: it gets the oldest waiting invocation, or waits for one.
  std::vector<Action> next_requested(ChildId child, TimePoint now);
  // The invocation this process runs, if any: answers for other ids are refused.
  std::optional<std::string> running_on(ChildId child) const;
  // The process answered its invocation (Ok or FunctionError).
  std::vector<Action> answered(ChildId child, Outcome outcome, std::string detail);
  // The process reported an init error; it is ended, and counts as a failed start.
  std::vector<Action> init_failed(ChildId child, TimePoint now);
  // The process is gone, however it ended (`how`: "exit status 1", "signal 9", ...).
  std::vector<Action> exited(ChildId child, const std::string& how, TimePoint now);
  // Deadlines and delayed restarts.
  std::vector<Action> tick(TimePoint now);
  // When tick() has something to do next, if ever.
  std::optional<TimePoint> next_wakeup() const;
  // No more starts; every waiting invocation fails (NotStarted) and every process is killed.
  std::vector<Action> stop();

  std::size_t live_processes() const { return children_.size(); }
  std::size_t waiting() const { return queue_.size(); }
  bool stopped() const { return stopped_; }

 private:
  enum class State { Starting, Idle, Busy, Answered, Stopping };
  struct Child {
    State state = State::Starting;
    bool served = false;  // has asked /next at least once: it started successfully
    bool failed = false;  // reported an init error: counted as a failed start already
    std::string request_id;
    TimePoint deadline{};
  };
  struct Waiting {
    std::string request_id;
    TimePoint submitted;
  };

  void hand(ChildId id, Child& child, TimePoint now, std::vector<Action>& out);
  void count_failed_start(TimePoint now);
  void scale(TimePoint now, std::vector<Action>& out);
  std::size_t count(State state) const;
  std::size_t running() const;  // every process but those being killed

  SchedulerConfig config_;
  std::map<ChildId, Child> children_;
  std::deque<Waiting> queue_;
  ChildId next_id_ = 1;
  int failed_starts_ = 0;  // in a row
  TimePoint restart_not_before_{};
  bool stopped_ = false;
};

}  // namespace videochat::local::lambda
