#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "tile_layout.hpp"
#include "views.hpp"
#include "widgets.hpp"

namespace videochat::ui {

namespace {

constexpr float kBarHeight = 72;
constexpr float kGap = 12;

struct Tile {
  std::string element_id;
  std::string label;
  std::string status;  // shown over the tile when there is no picture
  bool mirror = false;
  bool show_video = true;
};

const char* describe(client::ConnectionState state) {
  switch (state) {
    case client::ConnectionState::Connecting:
      return "Connecting...";
    case client::ConnectionState::Connected:
      return "Connected";
    case client::ConnectionState::SignalingLost:
      return "Signaling lost: the call continues while the connection holds";
    case client::ConnectionState::Reconnecting:
      return "Connection interrupted, reconnecting...";
    case client::ConnectionState::Failed:
      return "Could not connect (a firewall may block the call)";
  }
  return "";
}

void draw_tile(PictureLayer& pictures, const Tile& tile, ImVec2 min, ImVec2 size) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 max(min.x + size.x, min.y + size.y);
  // The picture is the <video> element under the canvas, which stays transparent over it: the
  // name and status are drawn over it.
  const bool has_picture = tile.show_video && pictures.show(tile.element_id, min, size,
                                                            tile.mirror,
                                                            client::Overlay::kDrawnOver);
  if (!has_picture) draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_ChildBg), 10);
  if (!has_picture || !tile.status.empty()) {
    std::string text = tile.status.empty() ? "No video" : tile.status;
    if (has_picture) {
      // Over a picture, the status goes in a strip at the top.
      ImVec2 strip_max(max.x, min.y + 34);
      draw->AddRectFilled(min, strip_max, IM_COL32(0, 0, 0, 150), 10, ImDrawFlags_RoundCornersTop);
      draw->AddText(ImVec2(min.x + 12, min.y + 8), ImGui::GetColorU32(kWarning), text.c_str());
    } else {
      centered_text(min, size, text.c_str(), ImGui::GetColorU32(kMuted));
    }
  }
  // The name, bottom left, on a dark pill so it reads over any picture.
  ImVec2 label_size = ImGui::CalcTextSize(tile.label.c_str());
  ImVec2 pill_min(min.x + 10, max.y - label_size.y - 20);
  ImVec2 pill_max(pill_min.x + label_size.x + 20, max.y - 10);
  draw->AddRectFilled(pill_min, pill_max, IM_COL32(0, 0, 0, 160), 8);
  draw->AddText(ImVec2(pill_min.x + 10, pill_min.y + 5), IM_COL32(255, 255, 255, 255),
                tile.label.c_str());
}

std::vector<Tile> tiles_of(const app::App& app) {
  std::vector<Tile> tiles;
  const auto& media = app.media().status();
  Tile self;
  self.element_id = app.media().preview_element_id();
  self.label = app.name().empty() ? "You" : app.name() + " (you)";
  self.mirror = true;
  self.show_video = media.has_camera && media.camera_on;
  if (!media.has_camera)
    self.status = "No camera";
  else if (!media.camera_on)
    self.status = "Camera is off";
  if (!media.microphone_on && media.has_microphone) self.label += "  (muted)";
  tiles.push_back(self);

  int index = 1;
  for (const auto& peer : app.call().peers) {
    Tile tile;
    tile.element_id = app.peer_element(peer.key);
    tile.label = peer.name ? *peer.name : "Guest " + std::to_string(index);
    ++index;
    if (peer.state != client::ConnectionState::Connected) tile.status = describe(peer.state);
    tiles.push_back(tile);
  }
  return tiles;
}

void draw_bar(app::App& app, ImVec2 min, float width, double now_ms) {
  const auto& media = app.media().status();
  ImGui::SetCursorScreenPos(ImVec2(min.x, min.y + 14));
  ImGui::BeginGroup();

  std::string status;
  switch (app.signaling()) {
    case app::SignalingStatus::Online:
      status = app.call().peers.empty() ? "Waiting for others to join" : "In the call";
      break;
    case app::SignalingStatus::Connecting:
      status = app.call().peers.empty() ? "Connecting to the server..."
                                        : "Reconnecting to the server; the call goes on...";
      break;
    case app::SignalingStatus::Retrying: {
      // Media is peer to peer: a call in progress continues while the server is away.
      char text[128];
      std::snprintf(text, sizeof text,
                    app.call().peers.empty()
                        ? "Server unreachable: retrying in %.0f s"
                        : "Server unreachable (the call goes on): retrying in %.0f s",
                    std::ceil(app.seconds_until_retry(now_ms)));
      status = text;
      break;
    }
    case app::SignalingStatus::Offline:
      status = "Offline";
      break;
  }
  ImGui::AlignTextToFramePadding();
  ImGui::Text("Room %s", app.room().c_str());
  ImGui::SameLine();
  ImGui::TextColored(app.signaling() == app::SignalingStatus::Online ? kMuted : kWarning, "· %s",
                     status.c_str());

  const float button = 132;
  const float buttons_width = 4 * button + 3 * ImGui::GetStyle().ItemSpacing.x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 16, width - buttons_width));
  ImGui::BeginDisabled(!media.has_microphone);
  if (ImGui::Button(media.microphone_on ? "Mute" : "Unmute", ImVec2(button, 0))) {
    app.set_microphone(!media.microphone_on);
  }
  record_control(app, "microphone");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!media.has_camera);
  if (ImGui::Button(media.camera_on ? "Stop video" : "Start video", ImVec2(button, 0))) {
    app.set_camera(!media.camera_on);
  }
  record_control(app, "camera");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Copy link", ImVec2(button, 0))) {
    ImGui::SetClipboardText(app.share_link().c_str());
  }
  record_control(app, "copyLink");
  ImGui::SameLine();
  if (colored_button("Leave", kDanger, ImVec2(button, 0))) app.leave();
  record_control(app, "leave");
  ImGui::EndGroup();
}

}  // namespace

void draw_room(app::App& app, PictureLayer& pictures, const Fonts&, double now_ms) {
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 area(io.DisplaySize.x - 2 * origin.x, io.DisplaySize.y - origin.y - kBarHeight);

  auto tiles = tiles_of(app);
  auto grid = client::tile_grid(static_cast<int>(tiles.size()), area.x, area.y, 4.0f / 3.0f, kGap);
  const float used_width = grid.columns * grid.tile_width + (grid.columns - 1) * kGap;
  const float used_height = grid.rows * grid.tile_height + (grid.rows - 1) * kGap;
  const ImVec2 start(origin.x + (area.x - used_width) / 2, origin.y + (area.y - used_height) / 2);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const int column = static_cast<int>(i) % grid.columns, row = static_cast<int>(i) / grid.columns;
    ImVec2 min(start.x + column * (grid.tile_width + kGap),
               start.y + row * (grid.tile_height + kGap));
    draw_tile(pictures, tiles[i], min, ImVec2(grid.tile_width, grid.tile_height));
  }
  if (tiles.size() == 1 && app.signaling() == app::SignalingStatus::Online) {
    const char* hint =
        "Nobody else is here yet. Copy the link and send it to whoever you want to talk to.";
    ImVec2 hint_size = ImGui::CalcTextSize(hint, nullptr, false, used_width - 16);
    ImVec2 hint_min(start.x + (used_width - hint_size.x) / 2 - 14, start.y + used_height - 100);
    ImVec2 hint_box(hint_size.x + 28, hint_size.y + 20);
    ImGui::GetWindowDrawList()->AddRectFilled(
        hint_min, ImVec2(hint_min.x + hint_box.x, hint_min.y + hint_box.y), IM_COL32(0, 0, 0, 170),
        8);
    centered_text(hint_min, hint_box, hint, ImGui::GetColorU32(ImGuiCol_Text));
  }
  draw_bar(app, ImVec2(origin.x, io.DisplaySize.y - kBarHeight), area.x, now_ms);
}

void draw_notice(app::App& app) {
  if (app.notice() && !ImGui::IsPopupOpen("Notice")) ImGui::OpenPopup("Notice");
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x / 2, io.DisplaySize.y / 2), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(460.0f, io.DisplaySize.x - 40), 0));
  if (ImGui::BeginPopupModal(
          "Notice", nullptr,
          ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove)) {
    if (app.notice()) {
      ImGui::TextUnformatted(app.notice()->title.c_str());
      ImGui::Separator();
      ImGui::TextWrapped("%s", app.notice()->text.c_str());
    }
    bool close = colored_button("OK", kAccent, ImVec2(-1, 0));
    record_control(app, "noticeOk");
    if (close || escape_pressed() || !app.notice()) {
      app.dismiss_notice();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

}  // namespace videochat::ui
