// Frames shared by the write queues of the connections they go to, in buffers that are used again
// once every queue is done with them: relaying a message costs no allocation once the pool is warm.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace videochat::local {

// Not thread-safe: each event loop thread keeps its own (frames_for_this_thread()). A frame may be
// released on any thread; its buffer is reused only after the last holder let go of it.
class FramePool {
 public:
  // Buffers kept at most; beyond that (a burst of frames all still queued) frames are allocated
  // as usual and freed when sent.
  static constexpr std::size_t kMaxBuffers = 1024;
  // A buffer that grew past this for one large frame is not kept at that size.
  static constexpr std::size_t kMaxKeptCapacity = 64 * 1024;

  // An immutable copy of `text`, in a pooled buffer when one is free.
  std::shared_ptr<const std::string> copy_of(std::string_view text);

  std::size_t buffers() const { return buffers_.size(); }

 private:
  std::shared_ptr<std::string> free_buffer();

  std::vector<std::shared_ptr<std::string>> buffers_;
  std::size_t next_ = 0;  // where the search for a free buffer starts: the oldest one lent out
};

FramePool& frames_for_this_thread();

}  // namespace videochat::local
