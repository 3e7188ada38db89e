#include "mirror.hpp"

namespace videochat::ui {

std::optional<std::string> Mirror::take_input(const std::string& id) {
  auto found = inputs_.find(id);
  if (found == inputs_.end()) return std::nullopt;
  std::string value = std::move(found->second);
  inputs_.erase(found);
  return value;
}

std::string Mirror::end_frame(const client::ScreenView& screen) {
  for (auto& announcement : announcer_.update(screen)) {
    frame_.announcements.push_back(std::move(announcement));
  }
  std::string update = client::mirror_update(shown_, frame_);
  shown_ = std::move(frame_);
  shown_.focus.clear();
  shown_.announcements.clear();
  frame_ = {};
  activations_.clear();
  inputs_.clear();
  return update;
}

}  // namespace videochat::ui
