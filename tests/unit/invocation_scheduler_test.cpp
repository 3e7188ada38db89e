// videochat-local --lambda's scheduler: which process runs which invocation, scaling out to a
// maximum, one invocation per process, and what a dead, stuck or unstartable process costs.
#include "lambda/invocation_scheduler.hpp"

#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

namespace {

using namespace videochat::local::lambda;
using namespace std::chrono_literals;

const TimePoint t0{};

template <class Kind>
std::vector<Kind> only(const std::vector<Action>& actions) {
  std::vector<Kind> out;
  for (const auto& action : actions) {
    if (const auto* kind = std::get_if<Kind>(&action)) out.push_back(*kind);
  }
  return out;
}

SchedulerConfig config(std::size_t max = 4, std::size_t min = 1) {
  SchedulerConfig c;
  c.max_processes = max;
  c.min_processes = min;
  c.timeout = 1000ms;
  c.queue_timeout = 5000ms;
  c.restart_backoff_first = 100ms;
  c.restart_backoff_max = 800ms;
  return c;
}

// A scheduler with its warm process started and waiting on /next.
struct Warm {
  InvocationScheduler scheduler{config()};
  ChildId first = 0;
  Warm() {
    auto started = only<StartChild>(scheduler.start(t0));
    REQUIRE(started.size() == 1);
    first = started[0].child;
    REQUIRE(scheduler.next_requested(first, t0).empty());
  }
};

}  // namespace

TEST_SUITE("InvocationScheduler") {
  TEST_CASE("starts one warm process before any invocation") {
    InvocationScheduler scheduler(config());
    auto actions = scheduler.start(t0);
    CHECK(only<StartChild>(actions).size() == 1);
    CHECK(scheduler.live_processes() == 1);
  }

  TEST_CASE("an invocation goes to the idle process at once, with a deadline of the timeout") {
    Warm warm;
    auto hands = only<Hand>(warm.scheduler.submit("r1", t0 + 5ms));
    REQUIRE(hands.size() == 1);
    CHECK(hands[0].child == warm.first);
    CHECK(hands[0].request_id == "r1");
    CHECK(hands[0].deadline == t0 + 1005ms);
    CHECK(warm.scheduler.running_on(warm.first) == "r1");
  }

  TEST_CASE("an invocation submitted before any process asks /next waits for the first to ask") {
    InvocationScheduler scheduler(config());
    ChildId child = only<StartChild>(scheduler.start(t0))[0].child;
    // The warm process is still starting: no second one for a single waiting invocation.
    CHECK(only<StartChild>(scheduler.submit("r1", t0)).empty());
    auto hands = only<Hand>(scheduler.next_requested(child, t0 + 20ms));
    REQUIRE(hands.size() == 1);
    CHECK(hands[0].request_id == "r1");
  }

  TEST_CASE("a process runs one invocation at a time: the next waits until it asks /next again") {
    InvocationScheduler scheduler(config(/*max=*/1));
    ChildId child = only<StartChild>(scheduler.start(t0))[0].child;
    scheduler.next_requested(child, t0);
    CHECK(only<Hand>(scheduler.submit("r1", t0)).size() == 1);
    auto second = scheduler.submit("r2", t0);
    CHECK(only<Hand>(second).empty());
    CHECK(only<StartChild>(second).empty());  // at the maximum already
    CHECK(scheduler.waiting() == 1);

    auto done = only<Complete>(scheduler.answered(child, Outcome::Ok, "{\"statusCode\":200}"));
    REQUIRE(done.size() == 1);
    CHECK(done[0].request_id == "r1");
    CHECK(done[0].outcome == Outcome::Ok);
    CHECK(done[0].detail == "{\"statusCode\":200}");
    CHECK(done[0].child == child);

    auto hands = only<Hand>(scheduler.next_requested(child, t0 + 1ms));
    REQUIRE(hands.size() == 1);
    CHECK(hands[0].request_id == "r2");
  }

  TEST_CASE("invocations waiting with no process free start more processes, up to the maximum") {
    Warm warm;
    warm.scheduler.submit("r1", t0);  // to the warm process
    std::size_t started = 0;
    for (int i = 2; i <= 6; ++i) {
      started += only<StartChild>(warm.scheduler.submit("r" + std::to_string(i), t0)).size();
    }
    CHECK(started == 3);  // four in all
    CHECK(warm.scheduler.live_processes() == 4);
    CHECK(warm.scheduler.waiting() == 5);
  }

  TEST_CASE("a process that just answered counts as about to be free: no process is started") {
    Warm warm;
    warm.scheduler.submit("r1", t0);
    warm.scheduler.answered(warm.first, Outcome::Ok, "{}");
    CHECK(only<StartChild>(warm.scheduler.submit("r2", t0)).empty());
    CHECK(only<Hand>(warm.scheduler.next_requested(warm.first, t0))[0].request_id == "r2");
  }

  TEST_CASE("answers are accepted only from the process running that invocation") {
    Warm warm;
    CHECK_FALSE(warm.scheduler.running_on(warm.first).has_value());
    CHECK(warm.scheduler.answered(warm.first, Outcome::Ok, "{}").empty());
    CHECK(warm.scheduler.answered(99, Outcome::Ok, "{}").empty());
  }

  TEST_CASE("a busy process that dies costs its invocation an error, and a replacement starts") {
    Warm warm;
    warm.scheduler.submit("r1", t0);
    auto actions = warm.scheduler.exited(warm.first, "signal 9", t0 + 10ms);
    auto done = only<Complete>(actions);
    REQUIRE(done.size() == 1);
    CHECK(done[0].request_id == "r1");
    CHECK(done[0].outcome == Outcome::Crashed);
    CHECK(done[0].detail.find("signal 9") != std::string::npos);
    // It had served, so this is no failed start: the replacement starts at once.
    CHECK(only<StartChild>(actions).size() == 1);
  }

  TEST_CASE("an idle process that exits is replaced, and nothing is answered for it") {
    Warm warm;
    auto actions = warm.scheduler.exited(warm.first, "exit status 0", t0);
    CHECK(only<Complete>(actions).empty());
    CHECK(only<StartChild>(actions).size() == 1);
  }

  TEST_CASE("an invocation past its deadline times out and its process is killed") {
    Warm warm;
    warm.scheduler.submit("r1", t0);
    CHECK(warm.scheduler.next_wakeup() == t0 + 1000ms);
    CHECK(warm.scheduler.tick(t0 + 999ms).empty());

    auto actions = warm.scheduler.tick(t0 + 1000ms);
    auto done = only<Complete>(actions);
    REQUIRE(done.size() == 1);
    CHECK(done[0].outcome == Outcome::TimedOut);
    CHECK(done[0].detail == "Task timed out after 1.00 seconds");
    auto kills = only<Kill>(actions);
    REQUIRE(kills.size() == 1);
    CHECK(kills[0].child == warm.first);
    CHECK_FALSE(kills[0].polite);
    // The killed process no longer counts: a replacement starts without waiting for its exit.
    CHECK(only<StartChild>(actions).size() == 1);
    // Its exit, later, answers nothing a second time.
    CHECK(only<Complete>(warm.scheduler.exited(warm.first, "signal 9", t0 + 1001ms)).empty());
  }

  TEST_CASE("an invocation that waits longer than the queue timeout for a process times out") {
    InvocationScheduler scheduler(config(/*max=*/1));
    ChildId child = only<StartChild>(scheduler.start(t0))[0].child;
    scheduler.next_requested(child, t0);
    scheduler.submit("r1", t0);
    scheduler.submit("r2", t0 + 100ms);  // no process for it
    scheduler.answered(child, Outcome::Ok, "{}");
    // r1's deadline (1 s) and r2's queue timeout (5.1 s): the earlier first.
    CHECK(scheduler.next_wakeup() == t0 + 5100ms);
    auto done = only<Complete>(scheduler.tick(t0 + 5100ms));
    REQUIRE(done.size() == 1);
    CHECK(done[0].request_id == "r2");
    CHECK(done[0].outcome == Outcome::TimedOut);
  }

  TEST_CASE("a process that fails init is killed, waiting invocations fail, restarts back off") {
    InvocationScheduler scheduler(config());
    ChildId child = only<StartChild>(scheduler.start(t0))[0].child;
    scheduler.submit("r1", t0);
    auto kills = only<Kill>(scheduler.init_failed(child, t0 + 10ms));
    REQUIRE(kills.size() == 1);

    auto actions = scheduler.exited(child, "exit status 1", t0 + 20ms);
    auto done = only<Complete>(actions);
    REQUIRE(done.size() == 1);
    CHECK(done[0].outcome == Outcome::NotStarted);
    CHECK(done[0].detail.find("could not start") != std::string::npos);
    CHECK(only<StartChild>(actions).empty());  // not at once: 100 ms after the init error

    CHECK(scheduler.next_wakeup() == t0 + 110ms);
    CHECK(only<StartChild>(scheduler.tick(t0 + 109ms)).empty());
    auto retry = only<StartChild>(scheduler.tick(t0 + 110ms));
    REQUIRE(retry.size() == 1);
    // It fails too: the delay doubles.
    scheduler.exited(retry[0].child, "exit status 1", t0 + 130ms);
    CHECK(scheduler.next_wakeup() == t0 + 330ms);
  }

  TEST_CASE("an init error delays the restart even before the process has exited") {
    InvocationScheduler scheduler(config());
    ChildId child = only<StartChild>(scheduler.start(t0))[0].child;
    CHECK(only<StartChild>(scheduler.init_failed(child, t0 + 10ms)).empty());
    CHECK(scheduler.next_wakeup() == t0 + 110ms);
    CHECK(only<StartChild>(scheduler.tick(t0 + 11ms)).empty());
    // Its exit does not count a second failure.
    scheduler.exited(child, "signal 9", t0 + 12ms);
    CHECK(scheduler.next_wakeup() == t0 + 110ms);
  }

  TEST_CASE("restart delays stop growing at the maximum, and reset once a process serves") {
    InvocationScheduler scheduler(config());
    TimePoint now = t0;
    ChildId child = only<StartChild>(scheduler.start(now))[0].child;
    for (int failure = 1; failure <= 6; ++failure) {
      scheduler.exited(child, "exit status 1", now);
      REQUIRE(scheduler.next_wakeup().has_value());
      auto delay = *scheduler.next_wakeup() - now;
      CHECK(delay == std::min<Milliseconds>(100ms * (1 << (failure - 1)), 800ms));
      now = *scheduler.next_wakeup();
      auto started = only<StartChild>(scheduler.tick(now));
      REQUIRE(started.size() == 1);
      child = started[0].child;
    }
    scheduler.next_requested(child, now);  // this one works
    auto actions = scheduler.exited(child, "exit status 0", now);
    CHECK(only<StartChild>(actions).size() == 1);  // replaced at once
  }

  TEST_CASE("after a failed start, only one trial process starts however much waits") {
    InvocationScheduler scheduler(config());
    ChildId child = only<StartChild>(scheduler.start(t0))[0].child;
    scheduler.exited(child, "exit status 1", t0);
    for (int i = 0; i < 5; ++i) scheduler.submit("r" + std::to_string(i), t0 + 1ms);
    CHECK(only<StartChild>(scheduler.tick(t0 + 100ms)).size() == 1);
    CHECK(only<StartChild>(scheduler.tick(t0 + 200ms)).empty());
  }

  TEST_CASE("asking /next without answering fails the invocation being run") {
    Warm warm;
    warm.scheduler.submit("r1", t0);
    auto done = only<Complete>(warm.scheduler.next_requested(warm.first, t0));
    REQUIRE(done.size() == 1);
    CHECK(done[0].request_id == "r1");
    CHECK(done[0].outcome == Outcome::FunctionError);
  }

  TEST_CASE("stopping fails what waits, answers what runs, and ends every process politely") {
    InvocationScheduler scheduler(config(/*max=*/1));
    ChildId child = only<StartChild>(scheduler.start(t0))[0].child;
    scheduler.next_requested(child, t0);
    scheduler.submit("running", t0);
    scheduler.submit("waiting", t0);
    auto actions = scheduler.stop();
    auto done = only<Complete>(actions);
    REQUIRE(done.size() == 2);
    CHECK(done[0].request_id == "waiting");
    CHECK(done[0].outcome == Outcome::NotStarted);
    CHECK(done[1].request_id == "running");
    auto kills = only<Kill>(actions);
    REQUIRE(kills.size() == 1);
    CHECK(kills[0].polite);
    // Nothing restarts, and later invocations are refused at once.
    CHECK(only<StartChild>(scheduler.exited(child, "signal 15", t0)).empty());
    CHECK(only<Complete>(scheduler.submit("late", t0))[0].outcome == Outcome::NotStarted);
  }
}
