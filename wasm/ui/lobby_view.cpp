#include <emscripten/val.h>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "controls.hpp"
#include "device_picker.hpp"
#include "lobby.hpp"
#include "texts.hpp"
#include "views.hpp"
#include "widgets.hpp"

namespace videochat::ui {

using client::Text;
using client::tr;
using emscripten::val;

namespace {

std::string fresh_room_id() {
  val bytes = val::global("Uint8Array").new_(16);
  val::global("crypto").call<void>("getRandomValues", bytes);
  std::vector<std::uint8_t> random;
  for (int i = 0; i < 16; ++i) random.push_back(bytes[i].as<std::uint8_t>());
  return client::random_room_id(random);
}

// Below this height a preview shows too little to be worth its room.
constexpr float kSmallestPreview = 60;
// From this width on, the name and passcode fields sit side by side.
constexpr float kSideBySideWidth = 420;

void draw_preview(app::App& app, Mirror& mirror, PictureLayer& pictures, ImVec2 size) {
  const auto& media = app.media().status();
  ImVec2 min = ImGui::GetCursorScreenPos();
  const bool camera = media.has_camera && media.camera_on;
  // The picture sits above the canvas, nothing is drawn over it; without one the tile is drawn
  // here.
  if (!camera || !pictures.show(app.media().preview_element_id(), min, size, /*mirrored=*/true,
                                client::Overlay::kNothingOver)) {
    ImGui::GetWindowDrawList()->AddRectFilled(min, ImVec2(min.x + size.x, min.y + size.y),
                                              ImGui::GetColorU32(ImGuiCol_ChildBg), 10);
    const std::string text = tr(media.pending       ? Text::kWaitingForPermission
                                : !media.has_camera ? Text::kNoCamera
                                : camera            ? Text::kStartingCamera
                                                    : Text::kCameraIsOff);
    centered_text(min, size, text.c_str(), ImGui::GetColorU32(im(palette().muted_text)));
    describe(mirror, "previewStatus", client::UiRole::kText, text, min, size);
  }
  ImGui::Dummy(size);
}

// The shortcuts' list, and where to turn them on again once off: on the title's line, at its
// right end, or under it in a narrow window.
void draw_help_button(Mirror& mirror, float left, float width) {
  const std::string help = tr(Text::kKeyboardShortcuts);
  const ImVec2 size(ImGui::CalcTextSize(help.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x, 0);
  const float title_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
  if (title_end + ImGui::GetStyle().ItemSpacing.x + size.x <= left + width) {
    ImGui::SameLine(left + width - size.x);
  } else {
    ImGui::SetCursorPosX(left + width - size.x);
  }
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_Text, im(palette().muted_text));
  button(mirror, "help", help, size);  // the help dialog (dialogs.cpp) opens on it
  ImGui::PopStyleColor(2);
}

// Whether the Devices button fits beside the checkboxes of the devices there are, 24 px apart.
bool devices_button_fits(bool camera, bool microphone, float width) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float checkbox = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + 24;
  float row = ImGui::CalcTextSize(tr(Text::kDevicesButton).c_str()).x + 2 * style.FramePadding.x;
  if (camera) row += checkbox + ImGui::CalcTextSize(tr(Text::kCamera).c_str()).x;
  if (microphone) row += checkbox + ImGui::CalcTextSize(tr(Text::kMicrophone).c_str()).x;
  return row <= width;
}

}  // namespace

void draw_lobby(app::App& app, LobbyForm& form, Mirror& mirror, PictureLayer& pictures,
                const Fonts& fonts) {
  // The room from the page's link or the element's attributes, and the name the page gave.
  if (form.room_version != app.room_version()) {
    form.room_version = app.room_version();
    form.room = app.initial_room();
  }
  if (form.name_version != app.name_version()) {
    form.name_version = app.name_version();
    form.name = app.name();
  }
  if (!form.passcode_filled) {
    form.passcode_filled = true;
    form.passcode = app.passcode();
  }
  // Back from a call, the focus goes to Join (its control is gone): Enter joins again. Not when
  // the page opens: nothing the person did not ask for takes the focus, and a focused field's
  // blinking caret repaints the page twice a second for good (0.03 cores more in the idle lobby,
  // bench/client). Enter with nothing focused joins anyway.
  if (!form.shown && form.was_in_room) mirror.focus("join");
  // The server wants the room's passcode: say why (also to screen readers) and go to the field.
  if (auto why = app.take_passcode_request()) {
    form.problem = *why;
    mirror.announce(*why, true);
    mirror.focus("passcode");
  }
  form.shown = true;
  const ImGuiIO& io = ImGui::GetIO();
  const float width = std::min(560.0f, io.DisplaySize.x - 40);
  ImGui::SetCursorPosX(std::max(20.0f, (io.DisplaySize.x - width) / 2));
  ImGui::BeginGroup();

  const float left = ImGui::GetCursorPosX();
  ImGui::PushFont(fonts.title);
  const std::string title = tr(Text::kAppTitle);
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopFont();
  describe_last_item(mirror, "title", client::UiRole::kHeading, title);
  draw_help_button(mirror, left, width);
  const std::string intro = tr(Text::kIntro);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::TextColored(im(palette().muted_text), "%s", intro.c_str());
  ImGui::PopTextWrapPos();
  describe_last_item(mirror, "intro", client::UiRole::kText, intro);
  ImGui::Spacing();

  // The preview takes the height the rest leaves (as measured in the last frame), up to 16:9: on
  // a phone in landscape or a page zoomed to 200% every control stays on the screen.
  const float top = ImGui::GetCursorPosY();
  const float room_for_preview =
      io.DisplaySize.y - top - form.height_below_preview - ImGui::GetStyle().WindowPadding.y;
  const float preview_height = std::min(width * 9 / 16, room_for_preview);
  if (preview_height >= kSmallestPreview) {
    draw_preview(app, mirror, pictures, ImVec2(width, preview_height));
  }
  const float below_start = ImGui::GetCursorPosY();
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
  // While the browser has not answered for the camera and microphone, the row they will fill is
  // kept free: nothing below moves when they arrive, and the lobby is not drawn once more for the
  // preview's height to follow.
  if (media.pending) {
    const float line = ImGui::GetFrameHeight();
    const bool one_line = devices_button_fits(true, true, width);
    ImGui::Dummy(ImVec2(width, one_line ? line : 2 * line + ImGui::GetStyle().ItemSpacing.y));
  }
  if (media.has_camera && checkbox(mirror, "camera", tr(Text::kCamera), media.camera_on)) {
    app.set_camera(!media.camera_on);
  }
  if (media.has_camera && media.has_microphone) ImGui::SameLine(0, 24);
  if (media.has_microphone &&
      checkbox(mirror, "microphone", tr(Text::kMicrophone), media.microphone_on)) {
    app.set_microphone(!media.microphone_on);
  }
  // Which camera, microphone and speaker: the page's own dialog.
  if (media.has_camera || media.has_microphone) {
    // Beside the checkboxes where it fits (a narrow screen puts it on a line of its own).
    if (devices_button_fits(media.has_camera, media.has_microphone, width)) {
      ImGui::SameLine(0, 24);
    }
    if (button(mirror, "devices", tr(Text::kDevicesButton), ImVec2(0, 0))) open_device_picker();
  }
  if (!media.problem.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextColored(im(palette().warning_text), "%s", media.problem.c_str());
    ImGui::PopTextWrapPos();
    describe_last_item(mirror, "mediaProblem", client::UiRole::kText, media.problem);
  }
  ImGui::Spacing();

  const std::string room_label = tr(Text::kRoom), random_label = tr(Text::kRandomRoom);
  ImGui::TextUnformatted(room_label.c_str());
  const float random_width = ImGui::CalcTextSize(random_label.c_str()).x + 24;
  text_field(mirror, "room", room_label, form.room,
             {.placeholder = tr(Text::kRoomPlaceholder),
              .autocomplete = "off",
              .enter_key_hint = "go",
              .enter_action = "join",
              .max_length = 128},
             width - random_width - ImGui::GetStyle().ItemSpacing.x);
  ImGui::SameLine();
  if (button(mirror, "randomRoom", random_label, ImVec2(random_width, 0))) {
    form.room = fresh_room_id();
    form.problem.clear();
  }

  // The name and the passcode share a row where both fit: a page zoomed to 200% (360 CSS px
  // high) keeps Join on the screen. A phone in portrait stacks them.
  const bool side_by_side = width >= kSideBySideWidth;
  const float field_width =
      side_by_side ? (width - ImGui::GetStyle().ItemSpacing.x) / 2 : width;
  const std::string name_label = tr(Text::kYourName);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(name_label.c_str());
  text_field(mirror, "name", name_label, form.name,
             {.placeholder = tr(Text::kNamePlaceholder),
              .autocomplete = "nickname",
              .enter_key_hint = "go",
              .autocapitalize = "words",
              .enter_action = "join",
              .max_length = 40},
             field_width);
  ImGui::EndGroup();
  if (side_by_side) ImGui::SameLine();
  const std::string passcode_label = tr(Text::kPasscode);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(passcode_label.c_str());
  text_field(mirror, "passcode", passcode_label, form.passcode,
             {.placeholder = tr(Text::kPasscodePlaceholder),
              .autocomplete = "off",
              .enter_key_hint = "go",
              .enter_action = "join",
              .max_length = 64,
              .secret = true},
             field_width);
  ImGui::EndGroup();
  ImGui::Spacing();

  // Enter joins from the fields, and wherever no control has the focus, so a shared link, one
  // click and Enter start a call.
  mirror.set_default_action("join");
  const std::string join_label = tr(app.config_loaded() ? Text::kJoinRoom : Text::kLoading);
  // The fields above have taken what was typed before the join was asked for.
  const bool join = button(mirror, "join", join_label, ImVec2(width, 44), Emphasis::kAccent);
  if (join && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    auto problem = app.join(form.room, form.name, form.passcode);
    form.problem = problem.value_or("");
    // Said each time, even when the same problem is shown again.
    if (problem) mirror.announce(*problem, true);
  }
  if (!form.problem.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextColored(im(palette().error_text), "%s", form.problem.c_str());
    ImGui::PopTextWrapPos();
    describe_last_item(mirror, "joinProblem", client::UiRole::kText, form.problem);
  }
  ImGui::EndGroup();
  const float below = ImGui::GetCursorPosY() - below_start;
  if (below != form.height_below_preview) {
    form.height_below_preview = below;
    ask_for_another_frame();  // the preview's height follows
  }
}

}  // namespace videochat::ui
