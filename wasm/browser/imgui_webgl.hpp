// Draws ImGui's frames with WebGL2. ImGui's own OpenGL 3 backend saves and restores the GL state
// around every frame (fourteen glGetIntegerv and five glIsEnabled calls), for hosts that share
// their context with other drawing. This page owns its context, and in a browser those queries
// are WebGL getParameter calls, several of which wait on the GPU process: during a join they took
// 35-55 ms of the page's main thread. This renderer sets the state it needs and asks for none.
#pragma once

#include <imgui.h>

namespace videochat::browser {

class ImGuiWebGl final {
 public:
  // Compiles the shader and makes the buffers, in the current WebGL2 context. False (and a
  // console error saying why) if the shader does not compile or link.
  bool init();
  // Uploads the font atlas as a one-channel texture (a quarter of the RGBA one ImGui's backend
  // uploads) and hands it to ImGui. Called again whenever the fonts are rebuilt.
  void upload_fonts();
  // Draws the frame into the canvas's framebuffer of `framebuffer_width` x `framebuffer_height`
  // pixels (ImGui's display size times its framebuffer scale).
  void render(const ImDrawData& draw_data, int framebuffer_width, int framebuffer_height);

 private:
  void prepare(const ImDrawData& draw_data, int framebuffer_width, int framebuffer_height);

  unsigned program_ = 0;
  int scale_location_ = -1;
  int offset_location_ = -1;
  int texture_location_ = -1;
  unsigned vertex_array_ = 0;
  unsigned vertex_buffer_ = 0;
  unsigned index_buffer_ = 0;
  unsigned font_texture_ = 0;
};

}  // namespace videochat::browser
