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
  // Set by commit(): nothing of the UI covers the picture, so it sits above the UI's canvas. The
  // browser then composites the video alone, instead of blending the transparent canvas over each
  // of its frames (in a lobby with its preview that blending was a fifth of the page's CPU).
  bool above_ui = false;
  bool operator==(const PictureBox&) const = default;
};

// A rectangle of the page, in CSS pixels.
struct PageRect {
  float x = 0, y = 0, width = 0, height = 0;
};

// Whether the view that places a picture draws over it (a name, a status strip).
enum class Overlay { kDrawnOver, kNothingOver };

// One element to update: a new box, or hidden (std::nullopt) when it was not placed this frame.
struct PictureChange {
  std::string element_id;
  std::optional<PictureBox> box;
  bool operator==(const PictureChange&) const = default;
};

class VideoPlacement final {
 public:
  // Shows the element's picture in `box` in the frame being drawn (the last place wins).
  void place(const std::string& element_id, PictureBox box,
             Overlay overlay = Overlay::kDrawnOver);
  // What differs from the last committed frame: pictures placed anew, moved, or changed between
  // above and under the UI, and pictures no longer placed (to hide). `covering` holds what else
  // the UI drew this frame (dialogs, tooltips): a picture it overlaps goes under the UI even
  // where its own view draws nothing over it. Starts the next frame.
  std::vector<PictureChange> commit(const std::vector<PageRect>& covering = {});

 private:
  struct Placing {
    PictureBox box;
    Overlay overlay;
  };
  std::map<std::string, PictureBox> shown_;
  std::map<std::string, Placing> placing_;
};

}  // namespace videochat::client
