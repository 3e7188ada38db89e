#include "video_placement.hpp"

namespace videochat::client {

void VideoPlacement::place(const std::string& element_id, PictureBox box) {
  placing_[element_id] = box;
}

std::vector<PictureChange> VideoPlacement::commit() {
  std::vector<PictureChange> changes;
  for (const auto& [id, box] : placing_) {
    auto shown = shown_.find(id);
    if (shown == shown_.end() || !(shown->second == box)) changes.push_back({id, box});
  }
  for (const auto& [id, box] : shown_) {
    if (!placing_.count(id)) changes.push_back({id, std::nullopt});
  }
  shown_ = std::move(placing_);
  placing_.clear();
  return changes;
}

}  // namespace videochat::client
