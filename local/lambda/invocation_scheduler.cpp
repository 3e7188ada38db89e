#include "invocation_scheduler.hpp"

#include <algorithm>
#include <cstdio>

namespace videochat::local::lambda {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Ok:
      return "ok";
    case Outcome::FunctionError:
      return "function_error";
    case Outcome::Crashed:
      return "crashed";
    case Outcome::TimedOut:
      return "timed_out";
    case Outcome::NotStarted:
      return "not_started";
  }
  return "unknown";
}

namespace {

// Lambda's own wording, e.g. "Task timed out after 10.00 seconds".
std::string timed_out_message(Milliseconds timeout) {
  char text[64];
  std::snprintf(text, sizeof text, "Task timed out after %.2f seconds",
                static_cast<double>(timeout.count()) / 1000.0);
  return text;
}

}  // namespace

std::vector<Action> InvocationScheduler::start(TimePoint now) {
  std::vector<Action> out;
  scale(now, out);
  return out;
}

std::vector<Action> InvocationScheduler::submit(std::string request_id, TimePoint now) {
  std::vector<Action> out;
  if (stopped_) {
    out.push_back(Complete{std::move(request_id), Outcome::NotStarted, "the emulator is stopping",
                           std::nullopt});
    return out;
  }
  queue_.push_back({std::move(request_id), now});
  for (auto& [id, child] : children_) {
    if (child.state == State::Idle) {
      hand(id, child, now, out);
      return out;
    }
  }
  scale(now, out);
  return out;
}

std::vector<Action> InvocationScheduler::next_requested(ChildId id, TimePoint now) {
  std::vector<Action> out;
  auto it = children_.find(id);
  if (it == children_.end() || it->second.state == State::Stopping) return out;
  Child& child = it->second;
  if (child.state == State::Busy) {
    // The Runtime API contract is one answer per invocation before the next /next.
    out.push_back(Complete{std::move(child.request_id), Outcome::FunctionError,
                           "the runtime asked for the next invocation without answering this one",
                           id});
    child.request_id.clear();
  }
  child.served = true;
  failed_starts_ = 0;
  child.state = State::Idle;
  if (!queue_.empty()) hand(id, child, now, out);
  return out;
}

std::optional<std::string> InvocationScheduler::running_on(ChildId id) const {
  auto it = children_.find(id);
  if (it == children_.end() || it->second.state != State::Busy) return std::nullopt;
  return it->second.request_id;
}

std::vector<Action> InvocationScheduler::answered(ChildId id, Outcome outcome, std::string detail) {
  std::vector<Action> out;
  auto it = children_.find(id);
  if (it == children_.end() || it->second.state != State::Busy) return out;
  out.push_back(Complete{std::move(it->second.request_id), outcome, std::move(detail), id});
  it->second.request_id.clear();
  // Free again once it asks /next, which a healthy runtime does at once.
  it->second.state = State::Answered;
  return out;
}

std::vector<Action> InvocationScheduler::init_failed(ChildId id, TimePoint now) {
  std::vector<Action> out;
  auto it = children_.find(id);
  // An init error after the first /next breaks the contract; the process is judged by its answers.
  if (it == children_.end() || it->second.served || it->second.state == State::Stopping) {
    return out;
  }
  it->second.state = State::Stopping;
  // Counted now, not at its exit: until then a replacement would start without any delay.
  it->second.failed = true;
  count_failed_start(now);
  out.push_back(Kill{id, false});
  return out;
}

std::vector<Action> InvocationScheduler::exited(ChildId id, const std::string& how, TimePoint now) {
  std::vector<Action> out;
  auto it = children_.find(id);
  if (it == children_.end()) return out;
  Child child = std::move(it->second);
  children_.erase(it);
  if (child.state == State::Busy) {
    out.push_back(Complete{std::move(child.request_id), Outcome::Crashed,
                           "the function's process ended (" + how + ") while running it", id});
  }
  if (!child.served && !stopped_) {
    if (!child.failed) count_failed_start(now);
    // Nobody left who could run what waits: fail it now, as Lambda fails the invocation whose
    // cold start failed, rather than keep callers waiting on a function that does not start.
    if (running() == 0) {
      while (!queue_.empty()) {
        out.push_back(Complete{std::move(queue_.front().request_id), Outcome::NotStarted,
                               "the function could not start: its process ended (" + how +
                                   ") before asking for an invocation",
                               std::nullopt});
        queue_.pop_front();
      }
    }
  }
  scale(now, out);
  return out;
}

std::vector<Action> InvocationScheduler::tick(TimePoint now) {
  std::vector<Action> out;
  for (auto& [id, child] : children_) {
    if (child.state == State::Busy && child.deadline <= now) {
      out.push_back(Complete{std::move(child.request_id), Outcome::TimedOut,
                             timed_out_message(config_.timeout), id});
      child.request_id.clear();
      child.state = State::Stopping;
      out.push_back(Kill{id, false});
    }
  }
  while (!queue_.empty() && queue_.front().submitted + config_.queue_timeout <= now) {
    out.push_back(Complete{std::move(queue_.front().request_id), Outcome::TimedOut,
                           "no function process was free within " +
                               std::to_string(config_.queue_timeout.count()) + " ms",
                           std::nullopt});
    queue_.pop_front();
  }
  scale(now, out);
  return out;
}

std::optional<TimePoint> InvocationScheduler::next_wakeup() const {
  std::optional<TimePoint> earliest;
  auto consider = [&](TimePoint at) {
    if (!earliest || at < *earliest) earliest = at;
  };
  for (const auto& [id, child] : children_) {
    if (child.state == State::Busy) consider(child.deadline);
  }
  if (!queue_.empty()) consider(queue_.front().submitted + config_.queue_timeout);
  const bool demand = running() < config_.min_processes ||
                      queue_.size() > count(State::Starting) + count(State::Answered);
  const bool one_trial_running = failed_starts_ > 0 && count(State::Starting) > 0;
  if (!stopped_ && demand && running() < config_.max_processes && !one_trial_running) {
    consider(restart_not_before_);
  }
  return earliest;
}

std::vector<Action> InvocationScheduler::stop() {
  std::vector<Action> out;
  stopped_ = true;
  for (auto& waiting : queue_) {
    out.push_back(Complete{std::move(waiting.request_id), Outcome::NotStarted,
                           "the emulator is stopping", std::nullopt});
  }
  queue_.clear();
  for (auto& [id, child] : children_) {
    if (child.state == State::Stopping) continue;
    if (child.state == State::Busy) {
      out.push_back(Complete{std::move(child.request_id), Outcome::Crashed,
                             "the emulator stopped while the function ran it", id});
      child.request_id.clear();
    }
    child.state = State::Stopping;
    out.push_back(Kill{id, true});
  }
  return out;
}

void InvocationScheduler::count_failed_start(TimePoint now) {
  ++failed_starts_;
  auto delay = config_.restart_backoff_first * (1LL << std::min(failed_starts_ - 1, 16));
  restart_not_before_ = now + std::min<Milliseconds>(delay, config_.restart_backoff_max);
}

void InvocationScheduler::hand(ChildId id, Child& child, TimePoint now, std::vector<Action>& out) {
  child.state = State::Busy;
  child.request_id = std::move(queue_.front().request_id);
  queue_.pop_front();
  child.deadline = now + config_.timeout;
  out.push_back(Hand{id, child.request_id, child.deadline});
}

void InvocationScheduler::scale(TimePoint now, std::vector<Action>& out) {
  if (stopped_ || now < restart_not_before_) return;
  // After a failed start, one trial process at a time until one works.
  if (failed_starts_ > 0 && count(State::Starting) > 0) return;
  // Processes starting, or that just answered and are about to ask /next, will take waiting
  // invocations soon; only demand beyond them needs another process.
  std::size_t soon_free = count(State::Starting) + count(State::Answered);
  std::size_t live = running();
  while (live < config_.max_processes &&
         (live < config_.min_processes || queue_.size() > soon_free)) {
    ChildId id = next_id_++;
    children_[id] = Child{};
    out.emplace_back(std::in_place_type<StartChild>, StartChild{id});
    ++live;
    ++soon_free;
    if (failed_starts_ > 0) break;
  }
}

std::size_t InvocationScheduler::count(State state) const {
  return static_cast<std::size_t>(
      std::count_if(children_.begin(), children_.end(),
                    [state](const auto& entry) { return entry.second.state == state; }));
}

std::size_t InvocationScheduler::running() const {
  return children_.size() - count(State::Stopping);
}

}  // namespace videochat::local::lambda
