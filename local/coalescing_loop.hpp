// Runs an event loop with interrupt moderation: under load, its ready connections are handled in
// batches at most once per window instead of one wake-up per arriving message.
#pragma once

#include <chrono>

#include <boost/asio/io_context.hpp>

namespace videochat::local {

using SteadyTime = std::chrono::steady_clock::time_point;

// When a loop that woke at `woke` should take its next batch, given when it took the previous
// one: at once if the previous batch is at least a window old (the loop was idle, so the first
// message is answered without delay), else once the window since the previous batch has passed.
constexpr SteadyTime next_batch_at(SteadyTime previous_batch, SteadyTime woke,
                                   std::chrono::microseconds window) {
  return woke - previous_batch >= window ? woke : previous_batch + window;
}

// Like loop.run(): returns once the loop is stopped or out of work. With a zero window it is
// exactly loop.run().
void run_coalescing(boost::asio::io_context& loop, std::chrono::microseconds window);

}  // namespace videochat::local
