// The chat panel in a call: the page's own elements (browser/chat_panel.js), placed where the room
// view keeps room for them, holding the messages and what the person types.
#pragma once

#include <optional>

#include "app.hpp"
#include "video_placement.hpp"

namespace videochat::ui {

// Shows the panel in `box` (CSS pixels), or hides it (none).
void place_chat_panel(const app::App& app, std::optional<client::PageRect> box);

}  // namespace videochat::ui
