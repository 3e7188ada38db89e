// Raised hands in the order they went up: a tile's hand and its place in the queue, so that the
// room can see who asked to speak first. Pure: the adapter passes in what each member says on the
// side channel and the clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace videochat::client {

class RaisedHands final {
 public:
  // A person lowers their hand themselves; it also lowers by itself once they have spoken for
  // kLowerAfterSpeakingMs (they were given the floor and took it).
  static constexpr double kLowerAfterSpeakingMs = 3000;

  // `who` is an id string (any string: "" for ourselves is fine). Raising an already-raised hand
  // keeps its place.
  void raise(const std::string& who, double now_ms);
  void lower(const std::string& who);
  void forget(const std::string& who);  // left the call

  // Whether `who`'s hand should lower by itself now: raised, and speaking for at least
  // kLowerAfterSpeakingMs (the caller passes SpeakingDetector::speaking_for_ms).
  bool lowers_by_speaking(const std::string& who, double speaking_for_ms) const;
  // 1-based place in the queue, or 0 when the hand is down.
  int place(const std::string& who) const;
  // When `who`'s hand went up, or nothing when it is down.
  std::optional<double> raised_at_ms(const std::string& who) const;
  const std::vector<std::string>& order() const { return order_; }  // oldest first

 private:
  std::vector<std::string> order_;
  std::vector<double> raised_at_ms_;  // beside order_
};

}  // namespace videochat::client
