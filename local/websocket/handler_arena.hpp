// Memory for a connection's asynchronous operations, kept with the connection: Asio allocates an
// operation object for each read and write that has to wait, and its own per-thread cache holds
// one block, which a busy loop's many connections keep missing (two heap allocations per relayed
// message). A handler bound to an arena (with_arena) makes Asio and Beast allocate its operations
// from the arena's slots instead, the heap being the fallback when they are taken or too small.
#pragma once

#include <array>
#include <cstddef>
#include <new>
#include <utility>

namespace videochat::local {

// Not thread-safe: the operations of one connection run on its loop's thread.
class HandlerArena {
 public:
  // A read and a write in flight at once, each with Beast's and our stream layer's state.
  static constexpr std::size_t kSlots = 2;
  static constexpr std::size_t kSlotBytes = 1024;

  HandlerArena() = default;
  HandlerArena(const HandlerArena&) = delete;
  HandlerArena& operator=(const HandlerArena&) = delete;

  void* allocate(std::size_t bytes) {
    if (bytes <= kSlotBytes) {
      for (std::size_t i = 0; i < kSlots; ++i) {
        if (!used_[i]) {
          used_[i] = true;
          return slots_[i].data();
        }
      }
    }
    return ::operator new(bytes);
  }

  void deallocate(void* pointer) {
    for (std::size_t i = 0; i < kSlots; ++i) {
      if (pointer == slots_[i].data()) {
        used_[i] = false;
        return;
      }
    }
    ::operator delete(pointer);
  }

 private:
  struct alignas(std::max_align_t) Slot : std::array<unsigned char, kSlotBytes> {};
  std::array<Slot, kSlots> slots_{};
  std::array<bool, kSlots> used_{};
};

// The standard allocator interface over an arena, which is what Asio asks a handler for.
template <class T>
class ArenaAllocator {
 public:
  using value_type = T;

  explicit ArenaAllocator(HandlerArena& arena) noexcept : arena_(&arena) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena()) {}

  T* allocate(std::size_t count) {
    return static_cast<T*>(arena_->allocate(count * sizeof(T)));
  }
  void deallocate(T* pointer, std::size_t) noexcept { arena_->deallocate(pointer); }

  HandlerArena* arena() const noexcept { return arena_; }

  template <class U>
  friend bool operator==(const ArenaAllocator& a, const ArenaAllocator<U>& b) noexcept {
    return a.arena() == b.arena();
  }

 private:
  HandlerArena* arena_;
};

// A completion handler whose operations are allocated from `arena`.
template <class Handler>
class ArenaHandler {
 public:
  using allocator_type = ArenaAllocator<void>;

  ArenaHandler(HandlerArena& arena, Handler handler)
      : arena_(&arena), handler_(std::move(handler)) {}

  allocator_type get_allocator() const noexcept { return allocator_type(*arena_); }

  template <class... Args>
  void operator()(Args&&... args) {
    handler_(std::forward<Args>(args)...);
  }

 private:
  HandlerArena* arena_;
  Handler handler_;
};

template <class Handler>
ArenaHandler<std::decay_t<Handler>> with_arena(HandlerArena& arena, Handler&& handler) {
  return {arena, std::forward<Handler>(handler)};
}

}  // namespace videochat::local
