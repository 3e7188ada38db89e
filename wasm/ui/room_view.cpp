#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "chat_panel.hpp"
#include "controls.hpp"
#include "texts.hpp"
#include "tile_layout.hpp"
#include "toolbar_layout.hpp"
#include "views.hpp"
#include "widgets.hpp"

namespace videochat::ui {

using client::Text;
using client::tr;

namespace {

constexpr float kGap = 12;

struct Tile {
  std::string id;  // the mirror's
  std::string element_id;
  std::string label;
  std::string description;  // what a screen reader says of it: the name and the state
  std::string status;       // shown over the tile when there is no picture
  bool mirror = false;
  bool show_video = true;
};

// What a peer is called on its tiles: its name, or "Guest 2" by its place in the call.
std::string peer_label(const client::PeerSnapshot& peer, int index) {
  return peer.name ? *peer.name : tr(Text::kGuest, std::to_string(index));
}

std::string describe(client::ConnectionState state) {
  switch (state) {
    case client::ConnectionState::Connecting:
      return tr(Text::kPeerConnecting);
    case client::ConnectionState::Connected:
      return tr(Text::kPeerConnected);
    case client::ConnectionState::SignalingLost:
      return tr(Text::kPeerSignalingLost);
    case client::ConnectionState::Reconnecting:
      return tr(Text::kPeerReconnecting);
    case client::ConnectionState::Failed:
      return tr(Text::kPeerFailed);
  }
  return "";
}

void draw_tile(Mirror& mirror, PictureLayer& pictures, const Tile& tile, ImVec2 min, ImVec2 size) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 max(min.x + size.x, min.y + size.y);
  // The picture is the <video> element under the canvas, which stays transparent over it: the
  // name and status are drawn over it.
  const bool has_picture = tile.show_video && pictures.show(tile.element_id, min, size, tile.mirror,
                                                            client::Overlay::kDrawnOver);
  if (!has_picture) draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_ChildBg), 10);
  if (!has_picture || !tile.status.empty()) {
    std::string text = tile.status.empty() ? tr(Text::kNoVideo) : tile.status;
    if (has_picture) {
      // Over a picture, the status goes in a strip at the top.
      ImVec2 strip_max(max.x, min.y + 34);
      draw->AddRectFilled(min, strip_max, IM_COL32(0, 0, 0, 150), 10, ImDrawFlags_RoundCornersTop);
      draw->AddText(ImVec2(min.x + 12, min.y + 8), ImGui::GetColorU32(kOverPictureWarning),
                    text.c_str());
    } else {
      centered_text(min, size, text.c_str(), ImGui::GetColorU32(im(palette().muted_text)));
    }
  }
  // The name, bottom left, on a dark tag so it reads over any picture. People's names are in any
  // script: the page draws it, in the browser's fonts (at most the tile's width).
  const float tag_height = ImGui::GetFontSize() + 10;
  client::UiNode tag;
  tag.id = tile.id + "-name";
  tag.role = client::UiRole::kText;
  tag.look = client::UiLook::kNameTag;
  tag.name = tile.label;
  tag.box = {min.x + 10, max.y - 10 - tag_height, size.x - 20, tag_height};
  mirror.add(std::move(tag));
}

std::vector<Tile> tiles_of(const app::App& app) {
  std::vector<Tile> tiles;
  const auto& media = app.media().status();
  Tile self;
  self.id = "tile-self";
  self.element_id = app.media().preview_element_id();
  self.label = app.name().empty() ? tr(Text::kYou) : tr(Text::kNameIsYou, app.name());
  self.mirror = true;
  self.show_video = media.has_camera && media.camera_on;
  if (!media.has_camera)
    self.status = tr(Text::kNoCamera);
  else if (!media.camera_on)
    self.status = tr(Text::kCameraIsOff);
  self.description = self.label;
  if (!media.microphone_on && media.has_microphone) {
    self.label += "  " + tr(Text::kMutedTag);
    self.description += ", " + tr(Text::kMutedDescription);
  }
  if (!self.status.empty()) self.description += ", " + self.status;
  tiles.push_back(self);

  int index = 1;
  for (const auto& peer : app.call().peers) {
    Tile tile;
    tile.id = "tile-" + std::to_string(peer.key.value);
    tile.element_id = app.peer_element(peer.key);
    tile.label = peer_label(peer, index++);
    if (peer.state != client::ConnectionState::Connected) tile.status = describe(peer.state);
    tile.description =
        tile.label + ", " + (tile.status.empty() ? tr(Text::kConnectedDescription) : tile.status);
    tiles.push_back(tile);
  }
  return tiles;
}

// The screens being shared, ours first: each a large tile of its own (the sharer's camera tile
// stays).
std::vector<Tile> screen_tiles_of(const app::App& app) {
  std::vector<Tile> tiles;
  if (app.sharing_screen()) {
    Tile own;
    own.id = "screen-self";
    own.element_id = app.own_screen_element();
    own.label = tr(Text::kYourScreen);
    own.description = own.label;
    tiles.push_back(own);
  }
  int index = 1;
  for (const auto& peer : app.call().peers) {
    const std::string label = peer_label(peer, index++);
    const std::string element = app.peer_screen_element(peer.key);
    if (element.empty()) continue;
    Tile tile;
    tile.id = "screen-" + std::to_string(peer.key.value);
    tile.element_id = element;
    tile.label = tr(Text::kNamesScreen, label);
    tile.description = tile.label;
    tiles.push_back(tile);
  }
  return tiles;
}

std::string server_status(const app::App& app, double now_ms) {
  // A remark (screen sharing was cancelled…) takes the status line for a few seconds.
  if (std::string remark = app.remark(now_ms); !remark.empty()) return remark;
  const bool alone = app.call().peers.empty();
  switch (app.signaling()) {
    case app::SignalingStatus::Online:
      return tr(alone ? Text::kWaitingForOthers : Text::kInTheCall);
    case app::SignalingStatus::Connecting:
      return tr(alone ? Text::kConnectingToServer : Text::kReconnectingToServer);
    case app::SignalingStatus::Retrying: {
      // Media is peer to peer: a call in progress continues while the server is away.
      const auto seconds = static_cast<long>(std::ceil(app.seconds_until_retry(now_ms)));
      return tr(alone ? Text::kServerUnreachable : Text::kServerUnreachableCallGoesOn,
                std::to_string(seconds));
    }
    case app::SignalingStatus::Offline:
      return tr(Text::kOffline);
  }
  return "";
}

struct Bar {
  std::string room;    // "Room …"
  std::string status;  // the server's, as server_status says
  client::ToolbarLayout layout;
};

// The toolbar's labels, in kToolbarControls' order (the chat's grows by its unread count).
constexpr Text kControlLabels[] = {Text::kMute, Text::kStopVideo, Text::kShareScreen,
                                   Text::kChat, Text::kCopyLink,  Text::kLeave};
static_assert(std::size(kControlLabels) == std::size(client::kToolbarControls));
constexpr float kBarMargin = 14;

Bar bar_for(const app::App& app, float width, double now_ms) {
  Bar bar{tr(Text::kRoomName, app.room()), server_status(app, now_ms), {}};
  const ImGuiStyle& style = ImGui::GetStyle();
  client::ToolbarMeasures measures;
  measures.width = width;
  measures.status_width = ImGui::CalcTextSize((bar.room + "  · " + bar.status).c_str()).x;
  measures.buttons = 0;
  for (std::size_t i = 0; i < std::size(kControlLabels); ++i) {
    if (!client::shows_control(app.settings(), client::kToolbarControls[i])) continue;
    if (client::kToolbarControls[i] == "screenShare" && !app.can_share_screen()) continue;
    const Text label = kControlLabels[i];
    ++measures.buttons;
    measures.min_button_width =
        std::max(measures.min_button_width,
                 ImGui::CalcTextSize(tr(label).c_str()).x + 2 * style.FramePadding.x);
  }
  measures.button_height = ImGui::GetFrameHeight();
  measures.spacing = style.ItemSpacing.x;
  measures.margin = kBarMargin;
  bar.layout = client::toolbar_layout(measures);
  return bar;
}

void draw_bar(app::App& app, Mirror& mirror, const Bar& bar, ImVec2 min, float width) {
  const auto& media = app.media().status();
  const client::ToolbarLayout& layout = bar.layout;
  ImGui::SetCursorScreenPos(ImVec2(min.x, min.y + kBarMargin));
  // The room's name is what people typed, in any script: the page draws it, ImGui keeps its place.
  const ImVec2 room_at = ImGui::GetCursorScreenPos();
  const ImVec2 room_size(ImGui::CalcTextSize(bar.room.c_str()).x, ImGui::GetFrameHeight());
  ImGui::Dummy(room_size);
  client::UiNode room_name;
  room_name.id = "roomName";
  room_name.name = bar.room;
  room_name.look = client::UiLook::kPage;
  room_name.box = {room_at.x, room_at.y, room_size.x, room_size.y};
  mirror.add(std::move(room_name));
  ImGui::SameLine();
  ImGui::TextColored(im(app.signaling() == app::SignalingStatus::Online ? palette().muted_text
                                                                        : palette().warning_text),
                     "· %s", bar.status.c_str());
  describe_last_item(mirror, "serverStatus", client::UiRole::kText, bar.status);

  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 size(layout.button_width, 0);
  int placed = 0;
  // Each button after the first goes on the same line, or starts the next row.
  auto next_place = [&] {
    if (placed++ == 0) {
      if (layout.beside_status) {
        ImGui::SameLine(width - layout.columns * (layout.button_width + style.ItemSpacing.x) +
                        style.ItemSpacing.x);
      }
    } else if ((placed - 1) % layout.columns != 0) {
      ImGui::SameLine();
    }
  };
  // Only the buttons the page wants (the element's controls attribute).
  auto shown = [&](std::string_view control) {
    if (!client::shows_control(app.settings(), control)) return false;
    next_place();
    return true;
  };
  // The labels stay as they are; pressed, the button lights up (aria-pressed for screen readers).
  if (shown("microphone")) {
    ImGui::BeginDisabled(!media.has_microphone);
    if (toggle(mirror, "microphone", tr(Text::kMute), !media.microphone_on, size)) {
      app.set_microphone(!media.microphone_on);
    }
    ImGui::EndDisabled();
  }
  if (shown("camera")) {
    ImGui::BeginDisabled(!media.has_camera);
    if (toggle(mirror, "camera", tr(Text::kStopVideo), !media.camera_on, size)) {
      app.set_camera(!media.camera_on);
    }
    ImGui::EndDisabled();
  }
  if (app.can_share_screen() && shown("screenShare") &&
      toggle(mirror, "screenShare", tr(Text::kShareScreen), app.sharing_screen(), size)) {
    app.share_screen(!app.sharing_screen());
  }
  if (shown("chat")) {
    const auto& chat = app.side().chat();
    const std::string label =
        chat.unread() > 0 ? tr(Text::kChatUnread, std::to_string(chat.unread())) : tr(Text::kChat);
    if (toggle(mirror, "chat", label, chat.open(), size)) app.set_chat_open(!chat.open());
  }
  if (shown("copyLink") && button(mirror, "copyLink", tr(Text::kCopyLink), size)) {
    ImGui::SetClipboardText(app.share_link().c_str());
    mirror.announce(tr(Text::kLinkCopied), false);
  }
  if (shown("leave") && button(mirror, "leave", tr(Text::kLeave), size, Emphasis::kDanger)) {
    app.leave();
  }
}

}  // namespace

namespace {

struct Grid {
  ImVec2 start;  // the top left of the tiles drawn
  ImVec2 used;   // their extent
};

// The tiles in a grid centred in the rectangle at `origin` of `area`, as items of the list `list`.
Grid draw_grid(Mirror& mirror, PictureLayer& pictures, const std::vector<Tile>& tiles,
               const std::string& list, const std::string& list_name, ImVec2 origin, ImVec2 area,
               float aspect) {
  auto grid = client::tile_grid(static_cast<int>(tiles.size()), area.x, area.y, aspect, kGap);
  const ImVec2 used(grid.columns * grid.tile_width + (grid.columns - 1) * kGap,
                    grid.rows * grid.tile_height + (grid.rows - 1) * kGap);
  const ImVec2 start(origin.x + (area.x - used.x) / 2, origin.y + (area.y - used.y) / 2);
  describe(mirror, list, client::UiRole::kList, list_name, start, used);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const int column = static_cast<int>(i) % grid.columns, row = static_cast<int>(i) / grid.columns;
    ImVec2 min(start.x + column * (grid.tile_width + kGap),
               start.y + row * (grid.tile_height + kGap));
    const ImVec2 size(grid.tile_width, grid.tile_height);
    describe(mirror, tiles[i].id, client::UiRole::kListItem, tiles[i].description, min, size, list);
    draw_tile(mirror, pictures, tiles[i], min, size);
  }
  return {start, used};
}

// The hint over the only tile while nobody else is here. It sits above the name tag; in a tile
// too small for both (a small widget) it is left out: the status line says the same in fewer
// words.
void draw_alone_hint(Mirror& mirror, const Grid& grid) {
  constexpr float kNameTagSpace = 52;
  const std::string hint_text = tr(Text::kAloneHint);
  const char* hint = hint_text.c_str();
  const ImVec2 hint_size = ImGui::CalcTextSize(hint, nullptr, false, grid.used.x - 44);
  const ImVec2 hint_box(hint_size.x + 28, hint_size.y + 20);
  const ImVec2 hint_min(grid.start.x + (grid.used.x - hint_box.x) / 2,
                        grid.start.y + grid.used.y - kNameTagSpace - hint_box.y);
  if (hint_min.y < grid.start.y + 8) return;
  ImGui::GetWindowDrawList()->AddRectFilled(
      hint_min, ImVec2(hint_min.x + hint_box.x, hint_min.y + hint_box.y), IM_COL32(0, 0, 0, 170),
      8);
  centered_text(hint_min, hint_box, hint, ImGui::GetColorU32(kOverPictureText));
  describe(mirror, "aloneHint", client::UiRole::kText, hint, hint_min, hint_box);
}

// The chat panel takes the right of a wide window, and the whole call area of a narrow one.
float chat_panel_width(float width) {
  return width >= 700 ? std::clamp(width * 0.32f, 280.0f, 380.0f) : width;
}

}  // namespace

void draw_room(app::App& app, Mirror& mirror, PictureLayer& pictures, const Fonts&, double now_ms) {
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = io.DisplaySize.x - 2 * origin.x;
  const Bar bar = bar_for(app, width, now_ms);
  const float height = io.DisplaySize.y - origin.y - bar.layout.height;

  const bool chat_open = app.side().chat().open() && client::shows_control(app.settings(), "chat");
  const float chat_width = chat_open ? chat_panel_width(width) : 0;
  place_chat_panel(app, chat_open ? std::optional(client::PageRect{origin.x + width - chat_width,
                                                                   origin.y, chat_width, height})
                                  : std::nullopt);
  const ImVec2 area(chat_width > 0 ? width - chat_width - kGap : width, height);
  if (area.x > 0) {
    const auto tiles = tiles_of(app);
    const auto screens = screen_tiles_of(app);
    if (screens.empty()) {
      const Grid grid = draw_grid(mirror, pictures, tiles, "participants", tr(Text::kParticipants),
                                  origin, area, 4.0f / 3.0f);
      if (tiles.size() == 1 && app.signaling() == app::SignalingStatus::Online) {
        draw_alone_hint(mirror, grid);
      }
    } else {
      // A shared screen is what everyone looks at: it takes most of the area, the cameras a strip
      // below it.
      const float strip = std::min(area.y * 0.28f, 180.0f);
      draw_grid(mirror, pictures, screens, "screens", tr(Text::kShareScreen), origin,
                ImVec2(area.x, area.y - strip - kGap), 16.0f / 9.0f);
      draw_grid(mirror, pictures, tiles, "participants", tr(Text::kParticipants),
                ImVec2(origin.x, origin.y + area.y - strip), ImVec2(area.x, strip), 4.0f / 3.0f);
    }
  }
  draw_bar(app, mirror, bar, ImVec2(origin.x, io.DisplaySize.y - bar.layout.height), width);
}

client::ScreenView screen_view(const app::App& app) {
  const auto& media = app.media().status();
  client::ScreenView view;
  view.in_room = app.screen() == app::Screen::Room;
  view.room = app.room();
  view.server_online = app.signaling() == app::SignalingStatus::Online;
  view.has_microphone = media.has_microphone;
  view.microphone_on = media.microphone_on;
  view.has_camera = media.has_camera;
  view.camera_on = media.camera_on;
  view.media_problem = media.problem;
  if (app.notice()) view.notice = app.notice()->title + ". " + app.notice()->text;
  if (view.in_room) {
    auto tiles = tiles_of(app);
    const auto peers = app.call().peers;
    for (std::size_t i = 0; i < peers.size(); ++i) {
      view.peers.push_back({peers[i].key.value, tiles[i + 1].label, peers[i].state});
    }
  }
  return view;
}

}  // namespace videochat::ui
