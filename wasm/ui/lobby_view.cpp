#include <emscripten/val.h>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "lobby.hpp"
#include "views.hpp"
#include "widgets.hpp"

namespace videochat::ui {

using emscripten::val;

void record_control(app::App& app, const char* name) {
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  app.set_control_rect(name, {min.x, min.y, max.x - min.x, max.y - min.y,
                              ImGui::IsItemActive() || ImGui::IsItemFocused()});
}

namespace {

std::string fresh_room_id() {
  val bytes = val::global("Uint8Array").new_(16);
  val::global("crypto").call<void>("getRandomValues", bytes);
  std::vector<std::uint8_t> random;
  for (int i = 0; i < 16; ++i) random.push_back(bytes[i].as<std::uint8_t>());
  return client::random_room_id(random);
}

void draw_preview(app::App& app, PictureLayer& pictures, float width) {
  const auto& media = app.media().status();
  ImVec2 size(width, width * 9 / 16);
  ImVec2 min = ImGui::GetCursorScreenPos();
  const bool camera = media.has_camera && media.camera_on;
  // The picture sits above the canvas, nothing is drawn over it; without one the tile is drawn
  // here.
  if (!camera || !pictures.show(app.media().preview_element_id(), min, size, /*mirrored=*/true,
                                client::Overlay::kNothingOver)) {
    ImGui::GetWindowDrawList()->AddRectFilled(min, ImVec2(min.x + size.x, min.y + size.y),
                                              ImGui::GetColorU32(ImGuiCol_ChildBg), 10);
    const char* text = media.pending       ? "Waiting for camera permission..."
                       : !media.has_camera ? "No camera"
                       : camera            ? "Starting the camera..."
                                           : "Camera is off";
    centered_text(min, size, text, ImGui::GetColorU32(kMuted));
  }
  ImGui::Dummy(size);
}

}  // namespace

void draw_lobby(app::App& app, LobbyForm& form, PictureLayer& pictures, const Fonts& fonts) {
  static bool prefilled = false;
  if (!prefilled) {
    prefilled = true;
    std::strncpy(form.room, app.initial_room().c_str(), sizeof form.room - 1);
  }
  const ImGuiIO& io = ImGui::GetIO();
  const float width = std::min(560.0f, io.DisplaySize.x - 40);
  ImGui::SetCursorPosX(std::max(20.0f, (io.DisplaySize.x - width) / 2));
  ImGui::BeginGroup();

  ImGui::PushFont(fonts.title);
  ImGui::TextUnformatted("Video chat");
  ImGui::PopFont();
  ImGui::TextColored(kMuted, "Pick a room and talk face to face with everyone in it.");
  ImGui::Spacing();

  draw_preview(app, pictures, width);
  const auto& media = app.media().status();
  // The level meter's row is always there, so nothing below moves when the microphone arrives.
  // The meter is an element of its own that follows the microphone by itself: the UI is not drawn
  // again for it.
  const ImVec2 meter_size(width, 6);
  if (media.has_microphone) {
    pictures.show(app.media().level_meter_element_id(), ImGui::GetCursorScreenPos(), meter_size,
                  false, client::Overlay::kNothingOver);
  }
  ImGui::Dummy(meter_size);
  bool camera = media.camera_on, microphone = media.microphone_on;
  if (media.has_camera && ImGui::Checkbox("Camera", &camera)) app.set_camera(camera);
  if (media.has_camera) record_control(app, "camera");
  if (media.has_camera && media.has_microphone) ImGui::SameLine(0, 24);
  if (media.has_microphone && ImGui::Checkbox("Microphone", &microphone)) {
    app.set_microphone(microphone);
  }
  if (media.has_microphone) record_control(app, "microphone");
  if (!media.problem.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextColored(kWarning, "%s", media.problem.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Spacing();

  ImGui::TextUnformatted("Room");
  if (form.focus_room) {
    ImGui::SetKeyboardFocusHere();
    form.focus_room = false;
  }
  const float random_width = ImGui::CalcTextSize("Random room").x + 24;
  ImGui::SetNextItemWidth(width - random_width - ImGui::GetStyle().ItemSpacing.x);
  bool enter = ImGui::InputTextWithHint("##room", "e.g. team-standup", form.room, sizeof form.room,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  record_control(app, "room");
  ImGui::SameLine();
  if (ImGui::Button("Random room", ImVec2(random_width, 0))) {
    std::string id = fresh_room_id();
    std::strncpy(form.room, id.c_str(), sizeof form.room - 1);
    form.problem.clear();
  }
  record_control(app, "randomRoom");

  ImGui::TextUnformatted("Your name (optional)");
  ImGui::SetNextItemWidth(width);
  enter |= ImGui::InputTextWithHint("##name", "Shown to the others", form.name, sizeof form.name,
                                    ImGuiInputTextFlags_EnterReturnsTrue);
  record_control(app, "name");
  ImGui::Spacing();

  // Enter joins wherever the focus is, so a shared link, one click and Enter start a call.
  enter |= enter_pressed();
  const char* join_label = app.config_loaded() ? "Join room" : "Loading...";
  bool join = colored_button(join_label, kAccent, ImVec2(width, 44));
  record_control(app, "join");
  if ((join || enter) && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    auto problem = app.join(form.room, form.name);
    form.problem = problem.value_or("");
  }
  if (!form.problem.empty()) ImGui::TextColored(kDanger, "%s", form.problem.c_str());
  ImGui::EndGroup();
}

}  // namespace videochat::ui
