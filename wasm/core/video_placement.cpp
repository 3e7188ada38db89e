#include "video_placement.hpp"

namespace videochat::client {

namespace {

// Rectangles that merely touch along an edge do not overlap.
bool overlaps(const PictureBox& box, const PageRect& rect) {
  return box.x < rect.x + rect.width && rect.x < box.x + box.width &&
         box.y < rect.y + rect.height && rect.y < box.y + box.height;
}

bool covered(const PictureBox& box, const std::vector<PageRect>& covering) {
  for (const PageRect& rect : covering) {
    if (overlaps(box, rect)) return true;
  }
  return false;
}

}  // namespace

void VideoPlacement::place(const std::string& element_id, PictureBox box, Overlay overlay) {
  placing_[element_id] = {box, overlay};
}

std::vector<PictureChange> VideoPlacement::commit(const std::vector<PageRect>& covering) {
  std::vector<PictureChange> changes;
  std::map<std::string, PictureBox> placed;
  for (const auto& [id, placing] : placing_) {
    PictureBox box = placing.box;
    box.above_ui = placing.overlay == Overlay::kNothingOver && !covered(box, covering);
    auto shown = shown_.find(id);
    if (shown == shown_.end() || !(shown->second == box)) changes.push_back({id, box});
    placed.emplace(id, box);
  }
  for (const auto& [id, box] : shown_) {
    if (!placed.count(id)) changes.push_back({id, std::nullopt});
  }
  shown_ = std::move(placed);
  placing_.clear();
  return changes;
}

}  // namespace videochat::client
