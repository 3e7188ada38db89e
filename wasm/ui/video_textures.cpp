#include "video_textures.hpp"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cstdint>

extern "C" int vc_upload_video_frame(unsigned texture, const char* element_id);

namespace videochat::ui {

VideoTextures::Frame VideoTextures::update(const std::string& element_id) {
  Entry& entry = entries_[element_id];
  entry.used = true;
  if (entry.texture == 0) {
    glGenTextures(1, &entry.texture);
    glBindTexture(GL_TEXTURE_2D, entry.texture);
    // No mipmaps (WebGL would sample an incomplete texture as black) and no wrapping.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  int packed = vc_upload_video_frame(entry.texture, element_id.c_str());
  if (packed != 0) {
    entry.width = static_cast<float>((packed >> 16) & 0xffff);
    entry.height = static_cast<float>(packed & 0xffff);
  }
  return {reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(entry.texture)), entry.width,
          entry.height, packed != 0};
}

void VideoTextures::collect_unused() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.used) {
      glDeleteTextures(1, &it->second.texture);
      it = entries_.erase(it);
    } else {
      it->second.used = false;
      ++it;
    }
  }
}

void draw_fitted(const VideoTextures::Frame& frame, ImVec2 min, ImVec2 size, bool mirror) {
  if (frame.width <= 0 || frame.height <= 0) return;
  float scale = std::min(size.x / frame.width, size.y / frame.height);
  ImVec2 drawn{frame.width * scale, frame.height * scale};
  ImVec2 top_left{min.x + (size.x - drawn.x) / 2, min.y + (size.y - drawn.y) / 2};
  ImVec2 bottom_right{top_left.x + drawn.x, top_left.y + drawn.y};
  ImVec2 uv0 = mirror ? ImVec2(1, 0) : ImVec2(0, 0);
  ImVec2 uv1 = mirror ? ImVec2(0, 1) : ImVec2(1, 1);
  ImGui::GetWindowDrawList()->AddImage(frame.texture, top_left, bottom_right, uv0, uv1);
}

}  // namespace videochat::ui
