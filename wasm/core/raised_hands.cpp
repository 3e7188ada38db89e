#include "raised_hands.hpp"

#include <algorithm>
#include <cstddef>

namespace videochat::client {

void RaisedHands::raise(const std::string& who, double now_ms) {
  if (place(who) > 0) return;
  order_.push_back(who);
  raised_at_ms_.push_back(now_ms);
}

void RaisedHands::lower(const std::string& who) {
  const int at = place(who);
  if (at == 0) return;
  order_.erase(order_.begin() + (at - 1));
  raised_at_ms_.erase(raised_at_ms_.begin() + (at - 1));
}

void RaisedHands::forget(const std::string& who) {
  lower(who);
}

bool RaisedHands::lowers_by_speaking(const std::string& who, double speaking_for_ms) const {
  return place(who) > 0 && speaking_for_ms >= kLowerAfterSpeakingMs;
}

int RaisedHands::place(const std::string& who) const {
  const auto it = std::find(order_.begin(), order_.end(), who);
  return it == order_.end() ? 0 : static_cast<int>(it - order_.begin()) + 1;
}

std::optional<double> RaisedHands::raised_at_ms(const std::string& who) const {
  const int at = place(who);
  if (at == 0) return std::nullopt;
  return raised_at_ms_[static_cast<std::size_t>(at - 1)];
}

}  // namespace videochat::client
