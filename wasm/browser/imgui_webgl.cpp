#include "imgui_webgl.hpp"

#include <GLES3/gl3.h>
#include <emscripten/val.h>
#include <imgui_internal.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace videochat::browser {

namespace {

// Positions in ImGui's display coordinates go to clip space through a scale (xy) and an offset
// (zw): a vertex attribute without an array, so one value for every vertex. (Not uniforms: the
// glue Emscripten links for uniform locations cost 348 B of download, gzip, for two numbers.)
constexpr GLuint kTransform = 3;
constexpr const char* kVertexShader = R"(#version 300 es
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;
layout(location = 3) in vec4 a_transform;
out vec2 v_uv;
out vec4 v_color;
void main() {
  v_uv = a_uv;
  v_color = a_color;
  gl_Position = vec4(a_position * a_transform.xy + a_transform.zw, 0.0, 1.0);
})";

// The only texture is the font atlas: its one channel is coverage. (A sampler reads texture unit
// 0 unless told otherwise.)
constexpr const char* kFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_color;
out vec4 out_color;
void main() {
  out_color = vec4(v_color.rgb, v_color.a * texture(u_texture, v_uv).r);
})";

void report(const std::string& what) {
  emscripten::val::global("console").call<void>("error", "ImGui renderer: " + what);
}

GLuint compile(GLenum type, const char* source) {
  GLuint shader = glCreateShader(type);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint compiled = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &compiled);
  if (compiled == GL_TRUE) return shader;
  char log[512] = {};
  glGetShaderInfoLog(shader, sizeof log, nullptr, log);
  report(std::string(type == GL_VERTEX_SHADER ? "vertex" : "fragment") +
         " shader did not compile: " + log);
  glDeleteShader(shader);
  return 0;
}

}  // namespace

bool ImGuiWebGl::init() {
  font_texture_ = 0;
  shown_valid_ = false;
  GLuint vertex = compile(GL_VERTEX_SHADER, kVertexShader);
  GLuint fragment = compile(GL_FRAGMENT_SHADER, kFragmentShader);
  if (vertex == 0 || fragment == 0) return false;
  program_ = glCreateProgram();
  glAttachShader(program_, vertex);
  glAttachShader(program_, fragment);
  glLinkProgram(program_);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  GLint linked = GL_FALSE;
  glGetProgramiv(program_, GL_LINK_STATUS, &linked);
  if (linked != GL_TRUE) {
    char log[512] = {};
    glGetProgramInfoLog(program_, sizeof log, nullptr, log);
    report(std::string("the shader program did not link: ") + log);
    return false;
  }

  glGenVertexArrays(1, &vertex_array_);
  glGenBuffers(1, &vertex_buffer_);
  glGenBuffers(1, &index_buffer_);
  glBindVertexArray(vertex_array_);
  glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, index_buffer_);  // recorded in the vertex array
  const auto stride = static_cast<GLsizei>(sizeof(ImDrawVert));
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<void*>(offsetof(ImDrawVert, pos)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<void*>(offsetof(ImDrawVert, uv)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<void*>(offsetof(ImDrawVert, col)));
  glBindVertexArray(0);

  ImGui::GetIO().BackendRendererName = "videochat_webgl2";
  return true;
}

void ImGuiWebGl::upload_fonts() {
  // The atlas is built already (font_atlas.cpp), never by ImGui's GetTexData* (which would build
  // it with stb_truetype).
  const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  const unsigned char* pixels = atlas.TexPixelsAlpha8;
  const int width = atlas.TexWidth, height = atlas.TexHeight;
  if (font_texture_ == 0) glGenTextures(1, &font_texture_);
  glBindTexture(GL_TEXTURE_2D, font_texture_);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  ImGui::GetIO().Fonts->SetTexID(
      reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(font_texture_)));
  // ImGui keeps its own copy only to upload it: nothing reads it after this.
  ImGui::GetIO().Fonts->ClearTexData();
  shown_valid_ = false;
}

void ImGuiWebGl::prepare(const ImDrawData& draw_data, int framebuffer_width,
                         int framebuffer_height) {
  glViewport(0, 0, framebuffer_width, framebuffer_height);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  // Colour blended by alpha; alpha accumulated so the canvas stays premultiplied for the page.
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glUseProgram(program_);
  const ImVec2 origin = draw_data.DisplayPos;
  const ImVec2 size = draw_data.DisplaySize;
  glVertexAttrib4f(kTransform, 2.0f / size.x, -2.0f / size.y, -1.0f - origin.x * 2.0f / size.x,
                   1.0f + origin.y * 2.0f / size.y);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(vertex_array_);
  glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
}

bool ImGuiWebGl::same_as_shown(const ImDrawData& draw_data, int framebuffer_width,
                               int framebuffer_height) {
  // ImGui's CRC-32 (the one its widget ids use) of the canvas's size in pixels and in CSS pixels
  // (ImGui's display, at 0,0 in this client), and of every list's vertices, indices and commands
  // (clip rectangle, texture, counts and offsets: ImGui leaves no padding in them). Two different
  // frames share a CRC about once in 2^32 changes, and the older picture then stays until the
  // next one.
  const float frame[] = {static_cast<float>(framebuffer_width),
                         static_cast<float>(framebuffer_height), draw_data.DisplaySize.x,
                         draw_data.DisplaySize.y};
  ImU32 print = ImHashData(frame, sizeof frame);
  for (int n = 0; n < draw_data.CmdListsCount; ++n) {
    const ImDrawList& list = *draw_data.CmdLists[n];
    print = ImHashData(list.VtxBuffer.Data, list.VtxBuffer.size_in_bytes(), print);
    print = ImHashData(list.IdxBuffer.Data, list.IdxBuffer.size_in_bytes(), print);
    print = ImHashData(list.CmdBuffer.Data, list.CmdBuffer.size_in_bytes(), print);
  }
  const bool same = shown_valid_ && print == shown_;
  shown_ = print;
  shown_valid_ = true;
  return same;
}

bool ImGuiWebGl::render(const ImDrawData& draw_data, int framebuffer_width,
                        int framebuffer_height) {
  if (framebuffer_width <= 0 || framebuffer_height <= 0) return false;
  if (same_as_shown(draw_data, framebuffer_width, framebuffer_height)) return false;
  // Transparent: the pictures under the canvas show through wherever the UI draws nothing.
  // ImGui's blending leaves premultiplied colours over (0,0,0,0), as the page compositor expects.
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  prepare(draw_data, framebuffer_width, framebuffer_height);
  const ImVec2 origin = draw_data.DisplayPos;
  const ImVec2 scale = draw_data.FramebufferScale;
  for (int n = 0; n < draw_data.CmdListsCount; ++n) {
    const ImDrawList& list = *draw_data.CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, list.VtxBuffer.Size * static_cast<GLsizeiptr>(sizeof(ImDrawVert)),
                 list.VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                 list.IdxBuffer.Size * static_cast<GLsizeiptr>(sizeof(ImDrawIdx)),
                 list.IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& command : list.CmdBuffer) {
      if (command.UserCallback != nullptr) {
        if (command.UserCallback == ImDrawCallback_ResetRenderState) {
          prepare(draw_data, framebuffer_width, framebuffer_height);
        } else {
          command.UserCallback(&list, &command);
        }
        continue;
      }
      // The clip rectangle in framebuffer pixels; GL counts rows from the bottom.
      const float left = (command.ClipRect.x - origin.x) * scale.x;
      const float top = (command.ClipRect.y - origin.y) * scale.y;
      const float right = (command.ClipRect.z - origin.x) * scale.x;
      const float bottom = (command.ClipRect.w - origin.y) * scale.y;
      if (right <= left || bottom <= top) continue;
      glScissor(static_cast<GLint>(left), static_cast<GLint>(framebuffer_height - bottom),
                static_cast<GLsizei>(right - left), static_cast<GLsizei>(bottom - top));
      glBindTexture(GL_TEXTURE_2D,
                    static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(command.GetTexID())));
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(command.ElemCount),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<void*>(command.IdxOffset * sizeof(ImDrawIdx)));
    }
  }
  glDisable(GL_SCISSOR_TEST);
  return true;
}

}  // namespace videochat::browser
