#include "font_atlas.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

// font_atlas.js
extern "C" void vc_load_font(const char* family, int weight, const char* url, void (*settled)());
extern "C" void vc_measure_glyphs(const char* font, const int* codepoints, int count, float* out);
extern "C" void vc_draw_glyphs(const char* font, const int* codepoints, const int* pens, int count,
                               int width, int height, unsigned char* pixels);

namespace videochat::browser {
namespace {

// Each glyph's ink box is grown by this much on every side: the browser's anti-aliasing may
// reach a little past the box it reports.
constexpr int kInkMargin = 1;

struct Glyph {
  int codepoint = 0;
  float advance = 0;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // ink box from the pen on the baseline (empty: a space)
  int x = 0, y = 0;                    // where the box sits in the atlas

  bool inked() const { return x1 > x0; }
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
};

// One font's glyphs, measured in the CSS font that gives ImGui's size.
struct MeasuredFont {
  ImFontConfig* config = nullptr;
  std::string css;
  float ascent = 0, descent = 0;  // both positive, in pixels
  std::vector<Glyph> glyphs;
};

std::string css_font(const Typeface& face, float em_pixels) {
  return std::to_string(face.weight) + " " + std::to_string(em_pixels) + "px \"" + face.family +
         "\", system-ui, sans-serif";
}

// The font's code points, each once, without control characters (no font draws them).
std::vector<int> code_points(ImFontAtlas& atlas, const ImFontConfig& config) {
  std::vector<int> points;
  ImBitVector seen;
  seen.Create(IM_UNICODE_CODEPOINT_MAX + 1);
  const ImWchar* range = config.GlyphRanges ? config.GlyphRanges : atlas.GetGlyphRangesDefault();
  for (; range[0] != 0; range += 2) {
    for (int c = range[0]; c <= range[1]; ++c) {
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || seen.TestBit(c)) continue;
      seen.SetBit(c);
      points.push_back(c);
    }
  }
  return points;
}

MeasuredFont measure(ImFontAtlas& atlas, ImFontConfig& config) {
  const auto& face = *static_cast<const Typeface*>(config.FontData);
  // ImGui sizes a font by its line (ascent plus descent), CSS by its em: measure the line at a
  // 100 px em to find the em that makes the line SizePixels tall.
  float line[2] = {0, 0};
  vc_measure_glyphs(css_font(face, 100).c_str(), nullptr, 0, line);
  const float em = config.SizePixels * 100 / std::max(line[0] + line[1], 1.0f);

  MeasuredFont font{&config, css_font(face, em), 0, 0, {}};
  const std::vector<int> points = code_points(atlas, config);
  std::vector<float> metrics(points.size() * 5 + 2);
  vc_measure_glyphs(font.css.c_str(), points.data(), static_cast<int>(points.size()),
                    metrics.data());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const float* m = &metrics[i * 5];
    Glyph glyph{points[i], m[0]};
    if (m[3] > m[1] && m[4] > m[2]) {
      glyph.x0 = static_cast<int>(std::floor(m[1])) - kInkMargin;
      glyph.y0 = static_cast<int>(std::floor(m[2])) - kInkMargin;
      glyph.x1 = static_cast<int>(std::ceil(m[3])) + kInkMargin;
      glyph.y1 = static_cast<int>(std::ceil(m[4])) + kInkMargin;
    }
    font.glyphs.push_back(glyph);
  }
  font.ascent = metrics[points.size() * 5];
  font.descent = metrics[points.size() * 5 + 1];
  return font;
}

// A rectangle to place in the atlas: a glyph's box or one of ImGui's own (the white pixel, the
// baked lines).
struct Box {
  int width = 0, height = 0;
  Glyph* glyph = nullptr;
  ImFontAtlasCustomRect* custom = nullptr;
};

// Shelf packing in the order given (font by font: one font's glyphs are of much the same
// height): rows filled left to right, each as tall as its tallest box. Returns the height used.
int pack(std::vector<Box>& boxes, int atlas_width, int padding) {
  int x = padding, y = padding, row_height = 0;
  for (Box& box : boxes) {
    if (x + box.width + padding > atlas_width) {
      x = padding;
      y += row_height + padding;
      row_height = 0;
    }
    if (box.glyph != nullptr) {
      box.glyph->x = x;
      box.glyph->y = y;
    } else {
      box.custom->X = static_cast<unsigned short>(x);
      box.custom->Y = static_cast<unsigned short>(y);
    }
    x += box.width + padding;
    row_height = std::max(row_height, box.height);
  }
  return y + row_height + padding;
}

std::vector<Box> boxes_of(ImFontAtlas& atlas, std::vector<MeasuredFont>& fonts) {
  std::vector<Box> boxes;
  for (MeasuredFont& font : fonts) {
    for (Glyph& glyph : font.glyphs) {
      if (glyph.inked()) boxes.push_back({glyph.width(), glyph.height(), &glyph});
    }
  }
  for (ImFontAtlasCustomRect& rect : atlas.CustomRects) {
    boxes.push_back({rect.Width, rect.Height, nullptr, &rect});
  }
  return boxes;
}

// As ImGui's own builder: a width from the area to cover, a power-of-two height.
void size_texture(ImFontAtlas& atlas, std::vector<Box>& boxes) {
  long area = 0;
  for (const Box& box : boxes) {
    area +=
        static_cast<long>(box.width + atlas.TexGlyphPadding) * (box.height + atlas.TexGlyphPadding);
  }
  const float side = std::sqrt(static_cast<float>(area)) + 1;
  atlas.TexWidth = atlas.TexDesiredWidth > 0 ? atlas.TexDesiredWidth
                   : side >= 4096 * 0.7f     ? 4096
                   : side >= 2048 * 0.7f     ? 2048
                   : side >= 1024 * 0.7f     ? 1024
                                             : 512;
  atlas.TexHeight = ImUpperPowerOfTwo(pack(boxes, atlas.TexWidth, atlas.TexGlyphPadding));
  atlas.TexUvScale = ImVec2(1.0f / atlas.TexWidth, 1.0f / atlas.TexHeight);
  const std::size_t bytes = static_cast<std::size_t>(atlas.TexWidth) * atlas.TexHeight;
  atlas.TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(bytes));
  std::memset(atlas.TexPixelsAlpha8, 0, bytes);
}

void draw(ImFontAtlas& atlas, const MeasuredFont& font) {
  std::vector<int> points, pens;
  for (const Glyph& glyph : font.glyphs) {
    if (!glyph.inked()) continue;
    points.push_back(glyph.codepoint);
    pens.push_back(glyph.x - glyph.x0);
    pens.push_back(glyph.y - glyph.y0);
  }
  vc_draw_glyphs(font.css.c_str(), points.data(), pens.data(), static_cast<int>(points.size()),
                 atlas.TexWidth, atlas.TexHeight, atlas.TexPixelsAlpha8);
}

// Hands the glyphs to their ImFont, placed as ImGui's builder places them: y from the line's top.
void add_glyphs(ImFontAtlas& atlas, const MeasuredFont& font) {
  ImFontConfig& config = *font.config;
  ImFontAtlasBuildSetupFont(&atlas, config.DstFont, &config, std::floor(font.ascent + 1),
                            std::floor(-font.descent - 1));
  const float dx = config.GlyphOffset.x;
  const float dy = config.GlyphOffset.y + IM_ROUND(config.DstFont->Ascent);
  const ImVec2 scale = atlas.TexUvScale;
  for (const Glyph& glyph : font.glyphs) {
    const auto codepoint = static_cast<ImWchar>(glyph.codepoint);
    config.DstFont->AddGlyph(&config, codepoint, glyph.x0 + dx, glyph.y0 + dy, glyph.x1 + dx,
                             glyph.y1 + dy, glyph.x * scale.x, glyph.y * scale.y,
                             (glyph.x + glyph.width()) * scale.x,
                             (glyph.y + glyph.height()) * scale.y, glyph.advance);
  }
}

}  // namespace

void load_typeface(const Typeface& face, const std::string& url, void (*settled)()) {
  vc_load_font(face.family, face.weight, url.c_str(), settled);
}

ImFont* add_font(ImFontAtlas& atlas, const Typeface& face, float size_pixels) {
  ImFontConfig config;
  // The atlas keeps a copy of FontData: here the typeface, which the builder reads back.
  config.FontData = const_cast<Typeface*>(&face);
  config.FontDataSize = sizeof(Typeface);
  config.FontDataOwnedByAtlas = false;
  config.SizePixels = size_pixels;
  return atlas.AddFont(&config);
}

void build_font_atlas(ImFontAtlas& atlas) {
  // ImGui's software mouse cursors are never drawn (the browser shows the pointer): only the
  // white pixel and the baked lines are needed besides the glyphs.
  atlas.Flags |= ImFontAtlasFlags_NoMouseCursors;
  ImFontAtlasBuildInit(&atlas);
  atlas.TexID = nullptr;
  atlas.ClearTexData();
  std::vector<MeasuredFont> fonts;
  for (ImFontConfig& config : atlas.ConfigData) fonts.push_back(measure(atlas, config));
  std::vector<Box> boxes = boxes_of(atlas, fonts);
  size_texture(atlas, boxes);
  for (const MeasuredFont& font : fonts) draw(atlas, font);
  for (const MeasuredFont& font : fonts) add_glyphs(atlas, font);
  ImFontAtlasBuildFinish(&atlas);
}

}  // namespace videochat::browser
