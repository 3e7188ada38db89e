// Runs an event loop with interrupt moderation: under load, its ready connections are handled in
// batches at most once per window instead of one wake-up per arriving message.
#pragma once

#include <chrono>
#include <cstddef>

#include <boost/asio/io_context.hpp>

namespace videochat::local {

using SteadyTime = std::chrono::steady_clock::time_point;

// Whether a loop that is idle (blocked until something is ready) should switch to taking batches
// once per window: when it is woken again within a quarter of a window, so that a window can be
// expected to bring several events. Below that rate a timer per window costs more than the
// wake-ups it saves.
constexpr bool busy_enough_to_batch(SteadyTime previous_wake, SteadyTime woke,
                                    std::chrono::microseconds window) {
  return woke - previous_wake < window / 4;
}

// Whether a batching loop should keep batching after a batch that ran `handled` completion
// handlers (a relayed message takes about three: its read, the post to the recipient, the write).
// Fewer than two messages' worth and it goes back to waking for each event.
constexpr bool batch_worth_keeping(std::size_t handled) {
  return handled >= 6;
}

// When a batching loop takes its next batch: a window after the previous one, or at once if
// handling that batch took longer than a window.
constexpr SteadyTime next_batch_at(SteadyTime previous_batch, SteadyTime now,
                                   std::chrono::microseconds window) {
  return now - previous_batch >= window ? now : previous_batch + window;
}

// Like loop.run(): returns once the loop is stopped or out of work. With a zero window it is
// exactly loop.run().
void run_coalescing(boost::asio::io_context& loop, std::chrono::microseconds window);

}  // namespace videochat::local
