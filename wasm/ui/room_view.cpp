#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "chat_panel.hpp"
#include "controls.hpp"
#include "device_picker.hpp"
#include "texts.hpp"
#include "tile_layout.hpp"
#include "toolbar_layout.hpp"
#include "video_elements.hpp"
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
  bool awaiting_picture = false;  // connected, its first frame on its way: "Connecting..."
  bool mirror = false;
  bool show_video = true;
  bool screen = false;
  // What the tile shows of a remote member besides its picture.
  bool remote = false;
  bool speaking = false;
  bool active_speaker = false;
  client::LinkQuality quality = client::LinkQuality::Unknown;
  int hand_place = 0;                // in the queue of raised hands; 0: down
  std::string hint;                  // over the own tile: "You are muted" while speaking
  std::vector<std::string> details;  // statistics and the safety code, when asked for
  bool code_changed = false;
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

std::string describe(client::LinkQuality quality) {
  switch (quality) {
    case client::LinkQuality::Good:
      return tr(Text::kQualityGood);
    case client::LinkQuality::Fair:
      return tr(Text::kQualityFair);
    case client::LinkQuality::Poor:
      return tr(Text::kQualityPoor);
    case client::LinkQuality::Unknown:
      break;
  }
  return "";
}

// A tag over a picture, light on dark, at `at`.
void tag(ImDrawList* draw, ImVec2 at, const std::string& text, ImU32 color) {
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  draw->AddRectFilled(at, ImVec2(at.x + size.x + 16, at.y + size.y + 8), IM_COL32(0, 0, 0, 170), 8);
  draw->AddText(ImVec2(at.x + 8, at.y + 4), color, text.c_str());
}

// Three bars, bottom right: all lit for a good link, two for fair, one (red) for poor.
void draw_quality(ImDrawList* draw, client::LinkQuality quality, ImVec2 max) {
  if (quality == client::LinkQuality::Unknown) return;
  const int lit = quality == client::LinkQuality::Good   ? 3
                  : quality == client::LinkQuality::Fair ? 2
                                                         : 1;
  const ImU32 color = quality == client::LinkQuality::Good   ? IM_COL32(77, 199, 115, 255)
                      : quality == client::LinkQuality::Fair ? IM_COL32(249, 191, 77, 255)
                                                             : IM_COL32(240, 82, 82, 255);
  const ImVec2 origin(max.x - 44, max.y - 34);
  draw->AddRectFilled(origin, ImVec2(origin.x + 32, origin.y + 24), IM_COL32(0, 0, 0, 170), 6);
  for (int i = 0; i < 3; ++i) {
    const float height = 6.0f + 4.0f * i;
    const ImVec2 bar_min(origin.x + 7 + i * 7, origin.y + 19 - height);
    draw->AddRectFilled(bar_min, ImVec2(bar_min.x + 4, origin.y + 19),
                        i < lit ? color : IM_COL32(255, 255, 255, 60), 1);
  }
}

// The details over a tile: statistics, and the safety code to compare by voice. Lines wrap to
// the tile's width.
void draw_details(Mirror& mirror, const Tile& tile, ImVec2 min, ImVec2 size) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float wrap = size.x - 40;
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  float height = 16;
  for (const auto& line : tile.details) {
    height += ImGui::CalcTextSize(line.c_str(), nullptr, false, wrap).y + spacing;
  }
  const ImVec2 box(size.x - 20, height);
  const ImVec2 at(min.x + 10, min.y + 48);
  if (at.y + box.y > min.y + size.y - 10) return;  // too small a tile: the list still says it
  draw->AddRectFilled(at, ImVec2(at.x + box.x, at.y + box.y), IM_COL32(0, 0, 0, 200), 8);
  std::string all;
  float y = at.y + 8;
  for (std::size_t i = 0; i < tile.details.size(); ++i) {
    const bool warning = tile.code_changed && i + 1 == tile.details.size();
    const std::string& line = tile.details[i];
    draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(at.x + 10, y),
                  ImGui::GetColorU32(warning ? kOverPictureWarning : kOverPictureText),
                  line.c_str(), nullptr, wrap);
    y += ImGui::CalcTextSize(line.c_str(), nullptr, false, wrap).y + spacing;
    all += line + (i + 1 < tile.details.size() ? ". " : "");
  }
  describe(mirror, tile.id + "-info", client::UiRole::kText, all, at, box);
}

void draw_tile(Mirror& mirror, PictureLayer& pictures, const Tile& tile, ImVec2 min, ImVec2 size,
               RoomViewState& view) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 max(min.x + size.x, min.y + size.y);
  // The picture is the <video> element under the canvas, which stays transparent over it: the
  // name and status are drawn over it.
  const bool has_picture = tile.show_video && pictures.show(tile.element_id, min, size, tile.mirror,
                                                            client::Overlay::kDrawnOver);
  if (!has_picture) draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_ChildBg), 10);
  if (!has_picture || !tile.status.empty()) {
    std::string text = !tile.status.empty() ? tile.status
                       : tr(tile.awaiting_picture ? Text::kPeerConnecting : Text::kNoVideo);
    if (has_picture) {
      // Over a picture, the status goes in a strip at the top.
      ImVec2 strip_max(max.x, min.y + 34);
      draw->AddRectFilled(min, strip_max, IM_COL32(0, 0, 0, 150), 10, ImDrawFlags_RoundCornersTop);
      draw->AddText(ImVec2(min.x + 12, min.y + 8), ImGui::GetColorU32(kOverPictureWarning),
                    text.c_str());
    } else {
      centered_text(min, size, text.c_str(), ImGui::GetColorU32(im(palette().muted_text)));
    }
    // Read out as well: whether there is a picture is not in the tile's name.
    describe(mirror, tile.id + "-status", client::UiRole::kText, text, min, size);
  }
  // Who is speaking: a ring in the accent colour, thicker for the one who has the word.
  if (tile.speaking) {
    draw->AddRect(min, max, ImGui::GetColorU32(im(palette().accent)), 10, 0,
                  tile.active_speaker ? 5.0f : 3.0f);
  }
  if (tile.hand_place > 0) {
    tag(draw, ImVec2(min.x + 10, min.y + 10),
        tr(Text::kHandRaisedTag, std::to_string(tile.hand_place)),
        ImGui::GetColorU32(kOverPictureWarning));
  }
  if (!tile.hint.empty()) {
    const ImVec2 text = ImGui::CalcTextSize(tile.hint.c_str());
    tag(draw, ImVec2(min.x + (size.x - text.x - 16) / 2, min.y + size.y / 2 - text.y), tile.hint,
        ImGui::GetColorU32(kOverPictureWarning));
  }
  if (tile.remote) draw_quality(draw, tile.quality, max);
  // Its buttons, top right, where the tile is large enough for them.
  const float button = ImGui::GetFrameHeight();
  if (size.x >= 4 * button + 40 && size.y >= button + 60) {
    float x = max.x - 10 - button;
    const bool full_screen_ok = browser::full_screen_supported();
    if (full_screen_ok &&
        icon_button(mirror, tile.id + "-fullScreen", tr(Text::kFullScreenTile, tile.label),
                    Icon::kFullScreen, ImVec2(x, min.y + 10), button, std::nullopt)) {
      browser::show_full_screen(tile.element_id);
    }
    if (full_screen_ok) x -= button + 6;
    if (icon_button(mirror, tile.id + "-pin", tr(Text::kPinTile, tile.label), Icon::kPin,
                    ImVec2(x, min.y + 10), button, view.pinned == tile.id)) {
      view.pinned = view.pinned == tile.id ? "" : tile.id;
      ask_for_another_frame();  // the layout was made before this frame knew
    }
    x -= button + 6;
    if (tile.id == "tile-self") {
      if (icon_button(mirror, "devices", tr(Text::kDevicesTitle), Icon::kDevices,
                      ImVec2(x, min.y + 10), button, std::nullopt)) {
        open_device_picker();
      }
    }
    if (tile.remote && !tile.screen) {
      const bool open = view.details.contains(tile.id);
      if (icon_button(mirror, tile.id + "-details", tr(Text::kDetailsFor, tile.label), Icon::kInfo,
                      ImVec2(x, min.y + 10), button, open)) {
        if (open) {
          view.details.erase(tile.id);
        } else {
          view.details.insert(tile.id);
        }
        ask_for_another_frame();
      }
    }
  }
  if (!tile.details.empty()) draw_details(mirror, tile, min, size);
  // The name, bottom left, on a dark tag so it reads over any picture. People's names are in any
  // script: the page draws it, in the browser's fonts (at most the tile's width).
  const float tag_height = ImGui::GetFontSize() + 10;
  client::UiNode name;
  name.id = tile.id + "-name";
  name.role = client::UiRole::kText;
  name.look = client::UiLook::kNameTag;
  name.name = tile.label;
  name.box = {min.x + 10, max.y - 10 - tag_height, size.x - (tile.remote ? 70 : 20), tag_height};
  mirror.add(std::move(name));
}

// A number of bits per second as people read it.
std::string bitrate(double bps) {
  char text[32];
  if (bps >= 1e6) {
    std::snprintf(text, sizeof text, "%.1f Mbit/s", bps / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.0f kbit/s", bps / 1e3);
  }
  return text;
}

// What the details of a member's tile say: what arrives, how the link is, and the safety code.
std::vector<std::string> details_of(const app::App& app, client::PeerKey key) {
  std::vector<std::string> lines;
  const auto* stats = app.watch().last_stats(key);
  const auto* link = app.watch().link(key);
  if (stats) {
    char video[96];
    // "video/VP8" says VP8.
    const std::string codec = stats->video_codec.substr(stats->video_codec.find('/') + 1);
    std::snprintf(video, sizeof video, "%s %.0fx%.0f %.0f fps", codec.empty() ? "-" : codec.c_str(),
                  stats->frame_width, stats->frame_height, stats->frames_per_second);
    lines.push_back(tr(Text::kStatsVideo, video));
    lines.push_back(tr(Text::kStatsReceiving, bitrate(app.watch().received_bps(key))));
    char rtt[32] = "-", loss[32] = "-";
    if (stats->round_trip_ms) std::snprintf(rtt, sizeof rtt, "%.0f ms", *stats->round_trip_ms);
    if (link && link->loss_percent())
      std::snprintf(loss, sizeof loss, "%.1f %%", *link->loss_percent());
    lines.push_back(tr(Text::kStatsLink, rtt, loss));
    if (!stats->local_candidate_type.empty()) {
      lines.push_back(
          tr(Text::kStatsPath, stats->local_candidate_type + " - " + stats->remote_candidate_type));
    }
  }
  const std::string code = app.watch().safety_code(key);
  if (code.empty()) {
    lines.push_back(tr(Text::kSafetyCodeWaiting));
  } else {
    lines.push_back(tr(Text::kSafetyCode, code));
    lines.push_back(tr(Text::kSafetyCodeHint));
    if (app.watch().safety_code_changed(key)) lines.push_back(tr(Text::kSafetyCodeChanged));
  }
  return lines;
}

std::vector<Tile> tiles_of(const app::App& app, const RoomViewState& view) {
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
  self.speaking = app.watch().own_speaking() && media.microphone_on;
  self.hand_place = app.side().own_hand_place();
  if (self.hand_place > 0) {
    self.description += ", " + tr(Text::kHandRaisedDescription, std::to_string(self.hand_place));
  }
  if (app.speaking_while_muted()) self.hint = tr(Text::kYouAreMuted);
  tiles.push_back(self);

  int index = 1;
  const auto active = app.watch().active_speaker();
  for (const auto& peer : app.call().peers) {
    Tile tile;
    tile.id = "tile-" + std::to_string(peer.key.value);
    tile.element_id = app.peer_element(peer.key);
    tile.label = peer_label(peer, index++);
    tile.remote = true;
    if (peer.state != client::ConnectionState::Connected) tile.status = describe(peer.state);
    // Connected, and its first frame is still on its way: "No video" only if none comes.
    tile.awaiting_picture = app.awaiting_first_picture(peer.key);
    if (app.relay_refused() && (peer.state == client::ConnectionState::Connecting ||
                                peer.state == client::ConnectionState::Failed)) {
      tile.status = tr(app.relays_only() ? Text::kPeerRelayRefused : Text::kPeerRelayRefusedTrying);
    }
    tile.speaking = app.watch().speaking(peer.key);
    tile.active_speaker = tile.speaking && active == peer.key;
    tile.quality = app.watch().quality(peer.key);
    tile.hand_place = app.side().hand_place(peer.key);
    tile.description =
        tile.label + ", " + (tile.status.empty() ? tr(Text::kConnectedDescription) : tile.status);
    if (tile.speaking) tile.description += ", " + tr(Text::kSpeakingDescription);
    if (tile.hand_place > 0) {
      tile.description += ", " + tr(Text::kHandRaisedDescription, std::to_string(tile.hand_place));
    }
    if (tile.quality != client::LinkQuality::Unknown) {
      tile.description += ", " + tr(Text::kQualityDescription, describe(tile.quality));
    }
    if (view.details.contains(tile.id)) {
      tile.details = details_of(app, peer.key);
      tile.code_changed = app.watch().safety_code_changed(peer.key);
    }
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
    own.screen = true;
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
    tile.screen = true;
    tile.remote = true;
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
      // Until the server answers the join, nobody knows who is in the room yet.
      if (app.joined()) return tr(alone ? Text::kWaitingForOthers : Text::kInTheCall);
      [[fallthrough]];
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
constexpr Text kControlLabels[] = {Text::kMute,       Text::kStopVideo, Text::kShareScreen,
                                   Text::kChat,       Text::kRaiseHand, Text::kFullScreen,
                                   Text::kLockRoom,   Text::kCopyLink,  Text::kLeave};
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
    if (client::kToolbarControls[i] == "fullScreen" && !browser::full_screen_supported()) continue;
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
  ImGui::TextColored(im(app.joined() ? palette().muted_text : palette().warning_text), "· %s",
                     bar.status.c_str());
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
  if (shown("hand") && toggle(mirror, "hand", tr(Text::kRaiseHand), app.hand_raised(), size)) {
    app.raise_hand(!app.hand_raised());
  }
  if (browser::full_screen_supported() && shown("fullScreen") &&
      toggle(mirror, "fullScreen", tr(Text::kFullScreen), browser::call_is_full_screen(), size)) {
    browser::show_call_full_screen(!browser::call_is_full_screen());
  }
  // Pressed while the room is locked, by whoever locked it: every member sees the same state.
  if (shown("lock") && toggle(mirror, "lock", tr(Text::kLockRoom), app.room_locked(), size)) {
    app.lock_room(!app.room_locked());
  }
  if (shown("copyLink") && button(mirror, "copyLink", tr(Text::kCopyLink), size)) {
    const std::string link = app.share_link();
    ImGui::SetClipboardText(link.c_str());
    const bool with_passcode = link.find("#passcode=") != std::string::npos;
    mirror.announce(tr(with_passcode ? Text::kLinkCopiedWithPasscode : Text::kLinkCopied), false);
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
Grid draw_grid(Mirror& mirror, PictureLayer& pictures, RoomViewState& view,
               const std::vector<Tile>& tiles, const std::string& list,
               const std::string& list_name, ImVec2 origin, ImVec2 area, float aspect) {
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
    draw_tile(mirror, pictures, tiles[i], min, size, view);
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

void draw_room(app::App& app, RoomViewState& view, Mirror& mirror, PictureLayer& pictures,
               const Fonts&, double now_ms) {
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
    // What everyone looks at goes on the stage, the rest in a strip below it: the screens being
    // shared, and the tile the person pinned (it leaves the strip for the stage).
    auto tiles = tiles_of(app, view);
    auto stage = screen_tiles_of(app);
    auto pinned = std::find_if(tiles.begin(), tiles.end(),
                               [&](const Tile& tile) { return tile.id == view.pinned; });
    if (pinned == tiles.end()) {
      pinned = std::find_if(stage.begin(), stage.end(),
                            [&](const Tile& tile) { return tile.id == view.pinned; });
      if (pinned != stage.end()) std::rotate(stage.begin(), pinned, pinned + 1);  // first
      if (pinned == stage.end()) view.pinned.clear();  // its member left, or sharing stopped
    } else {
      stage.insert(stage.begin(), *pinned);
      tiles.erase(pinned);
    }
    if (stage.empty()) {
      const Grid grid = draw_grid(mirror, pictures, view, tiles, "participants",
                                  tr(Text::kParticipants), origin, area, 4.0f / 3.0f);
      if (tiles.size() == 1 && app.joined()) {
        draw_alone_hint(mirror, grid);
      }
    } else {
      const float strip = tiles.empty() ? 0 : std::min(area.y * 0.28f, 180.0f);
      draw_grid(mirror, pictures, view, stage, "stage", tr(Text::kShareScreen), origin,
                ImVec2(area.x, area.y - (strip > 0 ? strip + kGap : 0)), 16.0f / 9.0f);
      if (!tiles.empty()) {
        draw_grid(mirror, pictures, view, tiles, "participants", tr(Text::kParticipants),
                  ImVec2(origin.x, origin.y + area.y - strip), ImVec2(area.x, strip), 4.0f / 3.0f);
      }
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
  view.sharing_screen = app.sharing_screen();
  view.speaking_while_muted = app.speaking_while_muted();
  view.remark = app.remark(app.now_ms());
  if (view.in_room) {
    auto tiles = tiles_of(app, RoomViewState{});
    const auto peers = app.call().peers;
    for (std::size_t i = 0; i < peers.size(); ++i) {
      view.peers.push_back({peers[i].key.value, tiles[i + 1].label, peers[i].state,
                            !app.peer_screen_element(peers[i].key).empty(),
                            app.side().hand_place(peers[i].key) > 0});
    }
  }
  return view;
}

}  // namespace videochat::ui
