// A tile says "Connecting..." for a moment after its peer's connection comes up, while the first
// frame is on its way, instead of flashing "No video".
#include "first_picture.hpp"

#include <doctest/doctest.h>

namespace {

using videochat::client::ConnectionState;
using videochat::client::FirstPictureWait;
using videochat::client::kFirstPictureGraceMs;
using videochat::client::PeerKey;
using videochat::client::PeerSnapshot;

PeerSnapshot peer(std::uint32_t key, ConnectionState state) {
  PeerSnapshot snapshot{};
  snapshot.key = PeerKey{key};
  snapshot.state = state;
  return snapshot;
}

}  // namespace

TEST_SUITE("first picture") {
  TEST_CASE("a peer still connecting is not waiting for its picture: it is connecting") {
    FirstPictureWait wait;
    wait.observe({peer(1, ConnectionState::Connecting)}, 0);
    CHECK_FALSE(wait.waiting(PeerKey{1}, 0));
  }

  TEST_CASE("a connected peer waits for its first picture for the grace, from when it connected") {
    FirstPictureWait wait;
    wait.observe({peer(1, ConnectionState::Connecting)}, 0);
    wait.observe({peer(1, ConnectionState::Connected)}, 500);
    wait.observe({peer(1, ConnectionState::Connected)}, 1500);  // later looks keep the start
    CHECK(wait.waiting(PeerKey{1}, 500));
    CHECK(wait.waiting(PeerKey{1}, 500 + kFirstPictureGraceMs - 1));
    CHECK_FALSE(wait.waiting(PeerKey{1}, 500 + kFirstPictureGraceMs));
  }

  TEST_CASE("a connection that comes up again waits again; a peer that left waits no more") {
    FirstPictureWait wait;
    wait.observe({peer(1, ConnectionState::Connected), peer(2, ConnectionState::Connected)}, 0);
    wait.observe({peer(1, ConnectionState::Reconnecting), peer(2, ConnectionState::Connected)},
                 kFirstPictureGraceMs);
    wait.observe({peer(1, ConnectionState::Connected)}, kFirstPictureGraceMs + 100);
    CHECK(wait.waiting(PeerKey{1}, kFirstPictureGraceMs + 100));
    CHECK_FALSE(wait.waiting(PeerKey{2}, kFirstPictureGraceMs + 100));
  }
}
