// Where each <video> element's picture sits on the page. The views place pictures while they draw
// a frame; commit() then says only what changed since the last frame, so the page is touched when
// the layout changes, never once per frame. The browser composites the video itself.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace videochat::client {

// A picture's box in CSS pixels; the video is fitted inside it, keeping its aspect ratio.
struct PictureBox {
  float x = 0, y = 0, width = 0, height = 0;
  bool mirrored = false;  // the person's own camera, shown as in a mirror
  bool operator==(const PictureBox&) const = default;
};

// One element to update: a new box, or hidden (std::nullopt) when it was not placed this frame.
struct PictureChange {
  std::string element_id;
  std::optional<PictureBox> box;
  bool operator==(const PictureChange&) const = default;
};

class VideoPlacement final {
 public:
  // Shows the element's picture in `box` in the frame being drawn (the last place wins).
  void place(const std::string& element_id, PictureBox box);
  // What differs from the last committed frame: pictures placed anew or moved, and pictures no
  // longer placed (to hide). Starts the next frame.
  std::vector<PictureChange> commit();

 private:
  std::map<std::string, PictureBox> shown_;
  std::map<std::string, PictureBox> placing_;
};

}  // namespace videochat::client
