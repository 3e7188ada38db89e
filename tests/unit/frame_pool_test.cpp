// The buffers a relayed message travels in: reused once nobody holds them, never while a write
// queue still does.
#include <doctest/doctest.h>

#include <thread>

#include "frame_pool.hpp"
#include "handler_arena.hpp"

using videochat::local::FramePool;
using videochat::local::HandlerArena;

TEST_SUITE("frame pool") {
  TEST_CASE("a frame's buffer is used again once every holder let go of it") {
    FramePool pool;
    auto first = pool.copy_of(std::string(100, 'a'));
    const std::string* buffer = first.get();
    first.reset();
    auto second = pool.copy_of("second");
    CHECK(second.get() == buffer);
    CHECK(*second == "second");
    CHECK(pool.buffers() == 1);
  }

  TEST_CASE("a buffer still queued somewhere is never written") {
    FramePool pool;
    auto queued = pool.copy_of("still queued");
    auto another = pool.copy_of("another");
    CHECK(another.get() != queued.get());
    CHECK(*queued == "still queued");
  }

  TEST_CASE("a buffer released on another thread comes back") {
    FramePool pool;
    auto frame = pool.copy_of("sent by another loop");
    const std::string* buffer = frame.get();
    std::thread([held = std::move(frame)]() mutable { held.reset(); }).join();
    CHECK(pool.copy_of("next").get() == buffer);
  }

  TEST_CASE("at its limit the pool hands out frames it does not keep") {
    FramePool pool;
    std::vector<std::shared_ptr<const std::string>> held;
    for (std::size_t i = 0; i < FramePool::kMaxBuffers + 10; ++i) held.push_back(pool.copy_of("x"));
    CHECK(pool.buffers() == FramePool::kMaxBuffers);
    CHECK(*held.back() == "x");
  }

  TEST_CASE("a buffer grown for one huge frame does not stay huge") {
    FramePool pool;
    pool.copy_of(std::string(FramePool::kMaxKeptCapacity * 2, 'h'));
    CHECK(pool.copy_of("small")->capacity() <= FramePool::kMaxKeptCapacity);
  }
}

TEST_SUITE("handler arena") {
  TEST_CASE("operations take the arena's slots, and the heap only when they are taken") {
    HandlerArena arena;
    void* read = arena.allocate(200);
    void* write = arena.allocate(HandlerArena::kSlotBytes);
    void* third = arena.allocate(8);  // both slots taken: from the heap
    void* huge = arena.allocate(HandlerArena::kSlotBytes + 1);
    CHECK(read != write);
    arena.deallocate(read);
    CHECK(arena.allocate(64) == read);  // a freed slot is taken again
    arena.deallocate(third);
    arena.deallocate(huge);
    arena.deallocate(write);
    arena.deallocate(read);
  }
}
