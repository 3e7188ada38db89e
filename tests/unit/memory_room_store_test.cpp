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
using videochat::lambdas::PeerId;
using videochat::lambdas::PeerIdInUseError;
using videochat::lambdas::ResumeClaim;
using videochat::lambdas::RoomFullError;
using videochat::lambdas::RoomId;

const RoomId kRoom{"123"};
const RoomId kOtherRoom{"456"};

ConnectionId person(std::size_t n) {
  return ConnectionId{"person" + std::to_string(n) + "="};
}

// The resume nonce the tests record for `who`.
std::string nonce_of(const ConnectionId& who) {
  return "nonce-" + who.value;
}

// Joins with no token: `who` is given nonce_of(who).
videochat::lambdas::JoinOutcome join(MemoryRoomStore& store, const ConnectionId& who,
                                     const RoomId& room,
                                     videochat::lambdas::ParticipantProfile profile = {}) {
  return store.join_room(who, room, profile, ResumeClaim{std::nullopt, nonce_of(who)});
}

// Joins presenting `presented`, a nonce from a valid token.
videochat::lambdas::JoinOutcome resume(MemoryRoomStore& store, const ConnectionId& who,
                                       const RoomId& room,
                                       videochat::lambdas::ParticipantProfile profile,
                                       const std::string& presented) {
  return store.join_room(who, room, profile, ResumeClaim{presented, nonce_of(who)});
}

// Joins person(first) .. person(first + count - 1) to `room`.
void fill(MemoryRoomStore& store, const RoomId& room, std::size_t first, std::size_t count) {
  for (std::size_t i = first; i < first + count; ++i) join(store, person(i), room);
}

}  // namespace

TEST_SUITE("MemoryRoomStore capacity") {
  TEST_CASE("by default a room admits 6 members and refuses the 7th with RoomFullError") {
    MemoryRoomStore store;
    REQUIRE(kDefaultRoomCapacity == 6);
    fill(store, kRoom, 0, 6);
    try {
      join(store, person(6), kRoom);
      FAIL("the 7th joiner was admitted");
    } catch (const RoomFullError& full) {
      CHECK(full.room == kRoom);
      CHECK(full.capacity == 6);
    }
    CHECK(store.relay_targets(kRoom, person(0))->others.size() == 5);
    CHECK_FALSE(store.relay_targets(kRoom, person(6)));
  }

  TEST_CASE("the capacity given to the constructor is the one enforced") {
    MemoryRoomStore store(2);
    fill(store, kRoom, 0, 2);
    CHECK_THROWS_AS(join(store, person(2), kRoom), RoomFullError);
  }

  TEST_CASE("a capacity of zero is refused at construction") {
    CHECK_THROWS_AS(MemoryRoomStore(0), std::invalid_argument);
  }

  TEST_CASE("a member of a full room joining it again is admitted as already a member") {
    MemoryRoomStore store;
    fill(store, kRoom, 0, 6);
    auto outcome = join(store, person(3), kRoom);
    CHECK(outcome.already_member);
    CHECK(outcome.other_members.size() == 5);
    CHECK_FALSE(outcome.left);
  }

  TEST_CASE("joining one's room again with another name says the profile changed, and keeps it") {
    MemoryRoomStore store;
    fill(store, kRoom, 0, 2);
    CHECK_FALSE(join(store, person(1), kRoom).profile_changed);
    auto renamed = join(store, person(1), kRoom, {std::nullopt, "Robert"});
    CHECK(renamed.already_member);
    CHECK(renamed.profile_changed);
    CHECK(join(store, person(2), kRoom).other_members.back().profile.name == "Robert");
    CHECK_FALSE(join(store, person(1), kRoom, {std::nullopt, "Robert"}).profile_changed);
  }

  TEST_CASE("a full room admits a newcomer once a member has left") {
    MemoryRoomStore store;
    fill(store, kRoom, 0, 6);
    REQUIRE(store.leave_room(person(2)));
    auto outcome = join(store, person(6), kRoom);
    CHECK_FALSE(outcome.already_member);
    CHECK(outcome.other_members.size() == 5);
    CHECK_THROWS_AS(join(store, person(7), kRoom), RoomFullError);
  }

  TEST_CASE("a full room admits a newcomer once a member's connection is gone") {
    MemoryRoomStore store;
    fill(store, kRoom, 0, 6);
    REQUIRE(store.remove_connection(person(0)));
    CHECK(join(store, person(6), kRoom).other_members.size() == 5);
  }

  TEST_CASE("a joiner refused by a full room stays in its previous room") {
    MemoryRoomStore store;
    fill(store, kOtherRoom, 100, 2);  // person(100) and person(101)
    fill(store, kRoom, 0, 6);
    CHECK_THROWS_AS(join(store, person(100), kRoom), RoomFullError);
    CHECK(store.relay_targets(kOtherRoom, person(100))->others ==
          std::vector<ConnectionId>{person(101)});
    CHECK(store.relay_targets(kOtherRoom, person(101))->others ==
          std::vector<ConnectionId>{person(100)});
    CHECK_FALSE(store.relay_targets(kRoom, person(100)));
    CHECK(store.relay_targets(kRoom, person(0))->others.size() == 5);
  }

  TEST_CASE("a refused joiner the store never saw is not recorded") {
    MemoryRoomStore store;
    for (std::size_t i = 0; i < 6; ++i) store.add_connection(person(i), 0);
    fill(store, kRoom, 0, 6);
    CHECK_THROWS_AS(join(store, person(6), kRoom), RoomFullError);
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
          if (i % 2 == 0) join(store, person(i), RoomId{"home" + std::to_string(i)});
          start.arrive_and_wait();
          try {
            join(store, person(i), kRoom);
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
          CHECK(others->others.size() == 5);
        } else if (i % 2 == 0) {
          CHECK(store.relay_targets(RoomId{"home" + std::to_string(i)}, person(i)));
        }
      }
      CHECK(in_room == 6);
    }
  }
}

TEST_SUITE("MemoryRoomStore peerIds") {
  const PeerId kPeer{"0123456789abcdef0123456789abcdef"};

  TEST_CASE("a second connection with a member's peerId is refused, and nothing changes") {
    MemoryRoomStore store;
    join(store, person(0), kRoom, {kPeer, "Ann"});
    join(store, person(1), kRoom);
    try {
      join(store, person(2), kRoom, {kPeer, std::nullopt});
      FAIL("two members share a peerId");
    } catch (const PeerIdInUseError& in_use) {
      CHECK(in_use.holder == person(0));
      CHECK(in_use.peer_id == kPeer);
      CHECK(in_use.room == kRoom);
    }
    CHECK(store.relay_targets(kRoom, person(0))->others == std::vector<ConnectionId>{person(1)});
    CHECK_FALSE(store.relay_targets(kRoom, person(2)));
  }

  TEST_CASE("a replacement takes the holder's place: the count is unchanged, even when full") {
    MemoryRoomStore store(3);
    join(store, person(0), kRoom, {kPeer, "Ann"});
    fill(store, kRoom, 1, 2);
    auto outcome = resume(store, person(9), kRoom, {kPeer, "Ann"}, nonce_of(person(0)));
    CHECK(outcome.replaced == person(0));
    CHECK(outcome.other_members.size() == 2);
    CHECK_FALSE(store.relay_targets(kRoom, person(0)));
    auto targets = store.relay_targets(kRoom, person(9));
    REQUIRE(targets);
    CHECK(targets->others.size() == 2);
    CHECK(targets->sender.peer_id == kPeer);
    CHECK(targets->sender.name == "Ann");
    // The replaced connection is in no room: forgetting it concerns nobody.
    CHECK_FALSE(store.remove_connection(person(0)));
  }

  TEST_CASE("a replacement needs the holder's current nonce, or the one it resumed with") {
    MemoryRoomStore store;
    join(store, person(0), kRoom, {kPeer, "Ann"});
    CHECK_THROWS_AS(resume(store, person(1), kRoom, {kPeer, "Ann"}, "nonce-of-someone-else"),
                    PeerIdInUseError);
    CHECK_THROWS_AS(resume(store, person(1), kRoom, {kPeer, "Ann"}, ""), PeerIdInUseError);
    // person(1) takes the place with person(0)'s nonce; that nonce stays good (its previous) for
    // person(2), until person(2)'s own nonce is used by person(3).
    CHECK(resume(store, person(1), kRoom, {kPeer, "Ann"}, nonce_of(person(0))).replaced ==
          person(0));
    CHECK(resume(store, person(2), kRoom, {kPeer, "Ann"}, nonce_of(person(0))).replaced ==
          person(1));
    CHECK(resume(store, person(3), kRoom, {kPeer, "Ann"}, nonce_of(person(2))).replaced ==
          person(2));
    CHECK_THROWS_AS(resume(store, person(4), kRoom, {kPeer, "Ann"}, nonce_of(person(0))),
                    PeerIdInUseError);
    CHECK_THROWS_AS(resume(store, person(4), kRoom, {kPeer, "Ann"}, nonce_of(person(1))),
                    PeerIdInUseError);
  }

  TEST_CASE("the peerId check comes before the capacity check") {
    MemoryRoomStore store(2);
    join(store, person(0), kRoom, {kPeer, std::nullopt});
    join(store, person(1), kRoom);
    CHECK_THROWS_AS(join(store, person(2), kRoom, {kPeer, std::nullopt}), PeerIdInUseError);
  }

  TEST_CASE("a peerId freed by leaving can be used by another connection") {
    MemoryRoomStore store;
    join(store, person(0), kRoom, {kPeer, std::nullopt});
    REQUIRE(store.leave_room(person(0)));
    CHECK_FALSE(join(store, person(1), kRoom, {kPeer, std::nullopt}).replaced);
  }

  TEST_CASE("the same peerId in two different rooms is no conflict") {
    MemoryRoomStore store;
    join(store, person(0), kRoom, {kPeer, std::nullopt});
    CHECK_NOTHROW(join(store, person(1), kOtherRoom, {kPeer, std::nullopt}));
  }

  TEST_CASE("the others come back with their profiles, in join order") {
    MemoryRoomStore store;
    join(store, person(0), kRoom, {kPeer, "Ann"});
    join(store, person(1), kRoom, {std::nullopt, "Bo"});
    auto outcome = join(store, person(2), kRoom);
    REQUIRE(outcome.other_members.size() == 2);
    CHECK(outcome.other_members[0] == videochat::lambdas::Participant{person(0), {kPeer, "Ann"}});
    CHECK(outcome.other_members[1] ==
          videochat::lambdas::Participant{person(1), {std::nullopt, "Bo"}});
    CHECK(outcome.capacity == kDefaultRoomCapacity);
  }

  TEST_CASE("32 threads claiming one peerId at once: exactly one holds it") {
    for (int round = 0; round < 20; ++round) {
      MemoryRoomStore store(64);
      std::atomic<std::size_t> admitted{0};
      std::latch start(32);
      std::vector<std::thread> threads;
      for (std::size_t i = 0; i < 32; ++i) {
        threads.emplace_back([&, i] {
          start.arrive_and_wait();
          try {
            join(store, person(i), kRoom, {kPeer, std::nullopt});
            ++admitted;
          } catch (const PeerIdInUseError&) {
          }
        });
      }
      for (auto& thread : threads) thread.join();
      CHECK(admitted.load() == 1);
    }
  }
}
