// The two screens, drawn from the app's state whenever it may have changed (immediate mode: no
// widget objects). Pictures are <video> elements under the canvas; the views only place them.
// Each control, text and region is also described to the DOM mirror (mirror.hpp), which gives it
// a real element on the page.
#pragma once

#include <set>
#include <string>

#include "app.hpp"
#include "mirror.hpp"
#include "picture_layer.hpp"

// A setting kept in the browser's storage (bridge.js): -1 when there is none.
extern "C" int vc_setting_get(const char* name);
extern "C" void vc_setting_set(const char* name, int value);

namespace videochat::ui {

// What the lobby's form holds between frames: text the person is typing.
struct LobbyForm {
  std::string room;
  std::string name;
  std::string passcode;
  bool passcode_filled = false;  // from the page's link, once
  std::string problem;
  // The App's room_version() and name_version() the fields were last filled from.
  int room_version = -1;
  int name_version = -1;
  bool shown = false;              // in the last frame
  bool was_in_room = false;        // the person has been in a call since the page opened
  float height_below_preview = 0;  // as drawn in the last frame
};

// Fonts the views use; `title` may equal `body` until the fonts are loaded.
struct Fonts {
  ImFont* body = nullptr;
  ImFont* title = nullptr;
};

// The theme; `touch` for a coarse pointer: every control at least 44 CSS pixels high; `light`
// when the browser prefers a light colour scheme.
void apply_theme(bool touch, bool light);
void draw_lobby(app::App& app, LobbyForm& form, Mirror& mirror, PictureLayer& pictures,
                const Fonts& fonts);
// What the room view keeps between frames: the tiles whose details (statistics, safety code) are
// open, and the tile pinned to the stage.
struct RoomViewState {
  std::set<std::string> details;  // tile ids
  std::string pinned;             // a tile id, or ""
};
void draw_room(app::App& app, RoomViewState& view, Mirror& mirror, PictureLayer& pictures,
               const Fonts& fonts, double now_ms);
// The dialogs over either screen, and what opens them.
struct Dialogs {
  bool help = false;           // the keyboard shortcuts
  bool confirm_leave = false;  // asked by the L shortcut
  // Single-key shortcuts can be turned off (WCAG 2.1.4: a speech user's words can press them);
  // the choice is kept in the browser's storage.
  bool shortcuts_on = true;
};
void load_dialog_settings(Dialogs& dialogs);
void draw_dialogs(app::App& app, Dialogs& dialogs, Mirror& mirror);
// The screen's single-key shortcuts, each activating a node (none while they are off).
void declare_shortcuts(const app::App& app, const Dialogs& dialogs, Mirror& mirror);
// What the screen shows that is worth saying when it changes (client::Announcer).
client::ScreenView screen_view(const app::App& app);

}  // namespace videochat::ui
