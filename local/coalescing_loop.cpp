#include "coalescing_loop.hpp"

#include <thread>

namespace videochat::local {

// Each message that arrives on an idle loop costs a sleep and a wake-up in epoll_wait; at tens of
// thousands of messages a second, spread out in time, those task switches were the largest single
// cost per message in the profile (a third of the server's CPU). Waiting out the rest of the
// window after a busy wake-up lets the messages that arrive meanwhile share one wake-up, and
// their sends then reach each receiver in one burst, sharing its wake-ups too.
void run_coalescing(boost::asio::io_context& loop, std::chrono::microseconds window) {
  if (window.count() == 0) {
    loop.run();
    return;
  }
  SteadyTime previous_wake = std::chrono::steady_clock::now() - window;
  for (;;) {
    // Idle or lightly loaded: block until something is ready, and handle it at once.
    if (loop.run_one() == 0) return;
    const SteadyTime woke = std::chrono::steady_clock::now();
    const bool busy = busy_enough_to_batch(previous_wake, woke, window);
    previous_wake = woke;
    loop.poll();
    if (!busy) continue;
    // Busy: take a batch once per window, with no wake-up in between, for as long as each
    // window brings enough work. A quiet window and the loop blocks again.
    SteadyTime batch_at = woke;
    for (;;) {
      batch_at = next_batch_at(batch_at, std::chrono::steady_clock::now(), window);
      std::this_thread::sleep_until(batch_at);
      const std::size_t handled = loop.poll();
      if (loop.stopped()) return;
      if (!batch_worth_keeping(handled)) break;
    }
    previous_wake = std::chrono::steady_clock::now();
  }
}

}  // namespace videochat::local
