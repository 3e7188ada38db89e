// The in-memory room store's capacity: a room admits a fixed number of members, the check and the
// add are one step under the store's lock, and a refused join changes nothing.
#include "memory_room_store.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using videochat::lambdas::ConnectionId;
using videochat::lambdas::kDefaultRoomCapacity;
using videochat::lambdas::MemoryRoomStore;
using videochat::lambdas::RoomFullError;
using videochat::lambdas::RoomId;

const RoomId kRoom{"123"};
const RoomId kOtherRoom{"456"};

ConnectionId person(std::size_t n) {
  return ConnectionId{"person" + std::to_string(n) + "="};
}

// Joins person(first) .. person(first + count - 1) to `room`.
void fill(MemoryRoomStore& store, const RoomId& room, std::size_t first, std::size_t count) {
  for (std::size_t i = first; i < first + count; ++i) store.join_room(person(i), room);
}

}  // namespace

TEST_SUITE("MemoryRoomStore capacity") {
  TEST_CASE("by default a room admits 6 members and refuses the 7th with RoomFullError") {
    MemoryRoomStore store;
    REQUIRE(kDefaultRoomCapacity == 6);
    fill(store, kRoom, 0, 6);
    try {
      store.join_room(person(6), kRoom);
      FAIL("the 7th joiner was admitted");
    } catch (const RoomFullError& full) {
      CHECK(full.room == kRoom);
      CHECK(full.capacity == 6);
    }
    CHECK(store.relay_targets(kRoom, person(0))->size() == 5);
    CHECK_FALSE(store.relay_targets(kRoom, person(6)));
  }

  TEST_CASE("the capacity given to the constructor is the one enforced") {
    MemoryRoomStore store(2);
    fill(store, kRoom, 0, 2);
    CHECK_THROWS_AS(store.join_room(person(2), kRoom), RoomFullError);
  }

  TEST_CASE("a capacity of zero is refused at construction") {
    CHECK_THROWS_AS(MemoryRoomStore(0), std::invalid_argument);
  }

  TEST_CASE("a member of a full room joining it again is admitted as already a member") {
    MemoryRoomStore store;
    fill(store, kRoom, 0, 6);
    auto outcome = store.join_room(person(3), kRoom);
    CHECK(outcome.already_member);
    CHECK(outcome.other_members.size() == 5);
    CHECK_FALSE(outcome.left);
  }

  TEST_CASE("a full room admits a newcomer once a member has left") {
    MemoryRoomStore store;
    fill(store, kRoom, 0, 6);
    REQUIRE(store.leave_room(person(2)));
    auto outcome = store.join_room(person(6), kRoom);
    CHECK_FALSE(outcome.already_member);
    CHECK(outcome.other_members.size() == 5);
    CHECK_THROWS_AS(store.join_room(person(7), kRoom), RoomFullError);
  }

  TEST_CASE("a full room admits a newcomer once a member's connection is gone") {
    MemoryRoomStore store;
    fill(store, kRoom, 0, 6);
    REQUIRE(store.remove_connection(person(0)));
    CHECK(store.join_room(person(6), kRoom).other_members.size() == 5);
  }

  TEST_CASE("a joiner refused by a full room stays in its previous room") {
    MemoryRoomStore store;
    fill(store, kOtherRoom, 100, 2);  // person(100) and person(101)
    fill(store, kRoom, 0, 6);
    CHECK_THROWS_AS(store.join_room(person(100), kRoom), RoomFullError);
    CHECK(store.relay_targets(kOtherRoom, person(100)) == std::vector<ConnectionId>{person(101)});
    CHECK(store.relay_targets(kOtherRoom, person(101)) == std::vector<ConnectionId>{person(100)});
    CHECK_FALSE(store.relay_targets(kRoom, person(100)));
    CHECK(store.relay_targets(kRoom, person(0))->size() == 5);
  }

  TEST_CASE("a refused joiner the store never saw is not recorded") {
    MemoryRoomStore store;
    for (std::size_t i = 0; i < 6; ++i) store.add_connection(person(i), 0);
    fill(store, kRoom, 0, 6);
    CHECK_THROWS_AS(store.join_room(person(6), kRoom), RoomFullError);
    CHECK(store.connection_count() == 6);
  }

  TEST_CASE("32 threads joining one room at once: exactly the capacity get in") {
    constexpr std::size_t kThreads = 32;
    // Several rounds, each a fresh store, so an interleaving that slips past the check once is
    // likely to be met.
    for (int round = 0; round < 20; ++round) {
      MemoryRoomStore store(6);
      std::atomic<std::size_t> admitted{0};
      std::atomic<std::size_t> refused{0};
      std::latch start(kThreads);
      std::vector<std::thread> threads;
      threads.reserve(kThreads);
      for (std::size_t i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
          // Half of them move from a room of their own, which a refusal must leave intact.
          if (i % 2 == 0) store.join_room(person(i), RoomId{"home" + std::to_string(i)});
          start.arrive_and_wait();
          try {
            store.join_room(person(i), kRoom);
            ++admitted;
          } catch (const RoomFullError&) {
            ++refused;
          }
        });
      }
      for (auto& thread : threads) thread.join();

      CHECK(admitted.load() == 6);
      CHECK(refused.load() == kThreads - 6);
      std::size_t in_room = 0;
      for (std::size_t i = 0; i < kThreads; ++i) {
        if (auto others = store.relay_targets(kRoom, person(i))) {
          ++in_room;
          CHECK(others->size() == 5);
        } else if (i % 2 == 0) {
          CHECK(store.relay_targets(RoomId{"home" + std::to_string(i)}, person(i)));
        }
      }
      CHECK(in_room == 6);
    }
  }
}
