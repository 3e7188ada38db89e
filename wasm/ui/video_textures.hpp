// <video> elements as ImGui textures: one GL texture per element, refreshed only when the element
// has shown a new frame.
#pragma once

#include <imgui.h>

#include <map>
#include <string>

namespace videochat::ui {

class VideoTextures final {
 public:
  struct Frame {
    ImTextureID texture = nullptr;
    float width = 0, height = 0;  // the video's size; 0 before its first frame
    bool fresh = false;           // a new frame was uploaded this time
  };

  // Uploads the element's newest frame, if any, and returns what there is to draw.
  Frame update(const std::string& element_id);
  // Frees the textures of elements not updated since the last call (peers that left).
  void collect_unused();

 private:
  struct Entry {
    unsigned texture = 0;
    float width = 0, height = 0;
    bool used = false;
  };
  std::map<std::string, Entry> entries_;
};

// Draws `frame` into the rectangle at `min` of `size`, letterboxed to keep its aspect ratio.
void draw_fitted(const VideoTextures::Frame& frame, ImVec2 min, ImVec2 size, bool mirror);

}  // namespace videochat::ui
