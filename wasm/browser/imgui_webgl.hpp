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
  // console error saying why) if the shader does not compile or link. Called again when the
  // browser gives back a context it took away, blank and without anything made in it: the font
  // texture is then made again by the next upload_fonts(). (Emscripten's tables keep an entry for
  // each name of the lost context: a few per loss, not worth the glue deleting them would add.)
  bool init();
  // Uploads the font atlas as a one-channel texture (a quarter of the RGBA one ImGui's backend
  // uploads) and hands it to ImGui. Called again whenever the fonts are rebuilt.
  void upload_fonts();
  // Draws the frame into the canvas's framebuffer of `framebuffer_width` x `framebuffer_height`
  // pixels (ImGui's display size times its framebuffer scale), cleared to transparent first.
  // A frame that would draw exactly what the canvas shows already (the same triangles, texture
  // and size) is not drawn: the canvas keeps its picture, and neither the GPU process (software
  // GL, where there is no GPU) nor the page's compositor does any work for it. False then.
  bool render(const ImDrawData& draw_data, int framebuffer_width, int framebuffer_height);

 private:
  void prepare(const ImDrawData& draw_data, int framebuffer_width, int framebuffer_height);
  // True if the frame is the one drawn last; remembers it otherwise.
  bool same_as_shown(const ImDrawData& draw_data, int framebuffer_width, int framebuffer_height);

  unsigned program_ = 0;
  unsigned vertex_array_ = 0;
  unsigned vertex_buffer_ = 0;
  unsigned index_buffer_ = 0;
  unsigned font_texture_ = 0;
  // A fingerprint of everything the last drawn frame's pixels depend on; not valid after the
  // fonts change (the same texture name, new pixels).
  ImU32 shown_ = 0;
  bool shown_valid_ = false;
};

}  // namespace videochat::browser
