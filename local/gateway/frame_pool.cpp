#include "frame_pool.hpp"

#include <atomic>

namespace videochat::local {

namespace {

// Buffers are lent out in turn and come back roughly in that order (write queues drain in order),
// so a handful of probes from the oldest finds a free one unless most are still queued.
constexpr std::size_t kProbes = 8;

}  // namespace

std::shared_ptr<std::string> FramePool::free_buffer() {
  for (std::size_t probe = 0; probe < kProbes && probe < buffers_.size(); ++probe) {
    auto& buffer = buffers_[next_];
    next_ = (next_ + 1) % buffers_.size();
    // Only the pool holds it: no queue can get it back, so it can be written. The fence pairs
    // with the release of the last holder's reference (on whatever thread that was), so that
    // holder's reads of the old frame happen before the writes of the new one.
    if (buffer.use_count() == 1) {
      std::atomic_thread_fence(std::memory_order_acquire);
      if (buffer->capacity() > kMaxKeptCapacity) std::string().swap(*buffer);
      return buffer;
    }
  }
  auto buffer = std::make_shared<std::string>();
  if (buffers_.size() < kMaxBuffers) {
    // Inserted where the search resumes last, so that it is the last one probed next time.
    buffers_.insert(buffers_.begin() + static_cast<std::ptrdiff_t>(next_), buffer);
    next_ = (next_ + 1) % buffers_.size();
  }
  return buffer;
}

std::shared_ptr<const std::string> FramePool::copy_of(std::string_view text) {
  auto buffer = free_buffer();
  buffer->assign(text);
  return buffer;
}

FramePool& frames_for_this_thread() {
  thread_local FramePool pool;
  return pool;
}

}  // namespace videochat::local
