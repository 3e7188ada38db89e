// ImGui's font atlas with glyphs the browser draws (font_atlas.js): the fonts are the document's
// FontFaces, measured and drawn on a 2D canvas, and packed here into the atlas ImGui draws text
// from. No font rasterizer (stb_truetype) and no built-in font are compiled in: ImGui's own
// ImFontAtlas::Build is never called.
#pragma once

#include <imgui.h>

#include <string>

namespace videochat::browser {

// A typeface the browser knows: a CSS family and weight.
struct Typeface {
  const char* family;
  int weight;
};

// Fetches `url` and adds it to the document as `face`; calls `settled` once it is there or has
// failed (then the atlas is drawn in the system's sans-serif).
void load_typeface(const Typeface& face, const std::string& url, void (*settled)());

// Adds `face` at `size_pixels` (the line's height, ascent plus descent, as ImGui sizes fonts) to
// `atlas`. `face` must outlive the atlas's fonts.
ImFont* add_font(ImFontAtlas& atlas, const Typeface& face, float size_pixels);

// Draws and packs every added font's glyphs (ImGui's default ranges unless the font's config
// names others) into the atlas's 8-bit texture (TexPixelsAlpha8) and makes the fonts usable.
void build_font_atlas(ImFontAtlas& atlas);

}  // namespace videochat::browser
