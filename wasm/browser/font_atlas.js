// The browser draws the glyphs of ImGui's font atlas (font_atlas.cpp packs them): our fonts become
// FontFaces of the document, and a 2D canvas measures and draws each glyph as the browser draws
// text anywhere else. The client then carries no font rasterizer of its own, and a font that did
// not load falls back to the system's sans-serif instead of to no text at all.
mergeInto(LibraryManager.library, {
  // Fetches `url` and adds it to the document as the FontFace (family, weight); then calls
  // `settled` (a function pointer), whether the font arrived or not. The bytes are fetched, not
  // named in a url() source, so a host page's font-src need not list our site (like the .wasm).
  vc_load_font__deps: ['$getWasmTableEntry'],
  vc_load_font__sig: 'viiii',
  vc_load_font: function(family, weight, url, settled) {
    family = UTF8ToString(family);
    url = UTF8ToString(url);
    Module.vcHost.fetch(url)
        .then(function(response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.arrayBuffer();
        })
        .then(function(bytes) {
          return new FontFace(family, bytes, { weight: String(weight) }).load();
        })
        .then(function(face) { document.fonts.add(face); })
        .catch(function(error) {
          console.warn('[videochat] font ' + url + ' not loaded (drawn in a system font): ' + error);
        })
        .then(function() {
          if (!Module.vcHost.signal.aborted) getWasmTableEntry(settled)();
        });
  },

  // Measures `count` code points (Int32 at `codepoints`) in the CSS `font`. Writes five Float32s a
  // glyph at `out`: its advance, then its ink box relative to the pen on the baseline (left, top,
  // right, bottom; y grows downwards); then the font's ascent and descent (both positive).
  vc_measure_glyphs__sig: 'viiii',
  vc_measure_glyphs: function(font, codepoints, count, out) {
    var context = document.createElement('canvas').getContext('2d');
    context.font = UTF8ToString(font);
    var at = out >> 2;
    for (var i = 0; i < count; i++, at += 5) {
      var metrics = context.measureText(String.fromCodePoint(HEAP32[(codepoints >> 2) + i]));
      HEAPF32[at] = metrics.width;
      HEAPF32[at + 1] = -metrics.actualBoundingBoxLeft;
      HEAPF32[at + 2] = -metrics.actualBoundingBoxAscent;
      HEAPF32[at + 3] = metrics.actualBoundingBoxRight;
      HEAPF32[at + 4] = metrics.actualBoundingBoxDescent;
    }
    // The font's own ascent and descent (Firefox before 116 lacks them: the ink of tall and deep
    // letters stands in).
    var line = context.measureText('\u00c1\u00c5g|');
    HEAPF32[at] = line.fontBoundingBoxAscent || line.actualBoundingBoxAscent;
    HEAPF32[at + 1] = line.fontBoundingBoxDescent || line.actualBoundingBoxDescent;
  },

  // Draws `count` code points in the CSS `font`, each with its pen at (x, y) (two Int32s a glyph
  // at `pens`), into the 8-bit alpha image of `width` x `height` at `pixels`. Glyphs of one font
  // never overlap another's, so only the pixels they cover are written.
  vc_draw_glyphs__sig: 'viiiiiii',
  vc_draw_glyphs: function(font, codepoints, pens, count, width, height, pixels) {
    var canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext('2d', { willReadFrequently: true });
    context.font = UTF8ToString(font);
    context.fillStyle = '#fff';
    context.textBaseline = 'alphabetic';
    for (var i = 0; i < count; i++) {
      context.fillText(String.fromCodePoint(HEAP32[(codepoints >> 2) + i]),
                       HEAP32[(pens >> 2) + 2 * i], HEAP32[(pens >> 2) + 2 * i + 1]);
    }
    var rgba = context.getImageData(0, 0, width, height).data;
    for (var p = 0, n = width * height; p < n; p++) {
      var alpha = rgba[4 * p + 3];
      if (alpha) HEAPU8[pixels + p] = alpha;
    }
  },
});
