// The two screens, drawn from the app's state whenever it may have changed (immediate mode: no
// widget objects). Pictures are <video> elements under the canvas; the views only place them.
#pragma once

#include "app.hpp"
#include "picture_layer.hpp"

namespace videochat::ui {

// What the lobby's form holds between frames: text the person is typing.
struct LobbyForm {
  char room[65] = "";
  char name[41] = "";
  std::string problem;
  bool focus_room = true;
};

// Fonts the views use; `title` may equal `body` until the fonts are loaded.
struct Fonts {
  ImFont* body = nullptr;
  ImFont* title = nullptr;
};

void apply_theme();
void draw_lobby(app::App& app, LobbyForm& form, PictureLayer& pictures, const Fonts& fonts);
void draw_room(app::App& app, PictureLayer& pictures, const Fonts& fonts, double now_ms);
void draw_notice(app::App& app);

// Records the last item's rectangle under `name` for the JavaScript ui() API.
void record_control(app::App& app, const char* name);

}  // namespace videochat::ui
