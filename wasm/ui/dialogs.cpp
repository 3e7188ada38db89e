// The modal dialogs: a notice from the app (room full, disconnected), the keyboard shortcuts, and
// the confirmation that the L shortcut asks before leaving. Each is a role=dialog on the page: the
// focus moves into it and back, Escape cancels it, the rest of the page is inert meanwhile.
#include <algorithm>

#include "controls.hpp"
#include "texts.hpp"
#include "views.hpp"
#include "widgets.hpp"

namespace videochat::ui {

using client::Text;
using client::tr;

namespace {

constexpr const char* kShortcutsSetting = "videochat.shortcuts";

// Draws the modal `id` while `open` (opening and closing it with it), with its title. Returns
// whether it is being drawn: the caller then draws what is in it and calls ImGui::EndPopup().
bool begin_dialog(Mirror& mirror, const char* id, bool open, const std::string& title,
                  const std::string& cancel_action) {
  if (open && !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x / 2, io.DisplaySize.y / 2), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(460.0f, io.DisplaySize.x - 40), 0));
  if (!ImGui::BeginPopupModal(
          id, nullptr,
          ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove)) {
    return false;
  }
  if (!open) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return false;
  }
  client::UiNode dialog;
  dialog.id = id;
  dialog.role = client::UiRole::kDialog;
  dialog.name = title;
  const ImVec2 position = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  dialog.box = {position.x, position.y, size.x, size.y};
  dialog.cancel_action = cancel_action;
  mirror.add(std::move(dialog));
  ImGui::TextUnformatted(title.c_str());
  describe_last_item(mirror, std::string(id) + "Title", client::UiRole::kHeading, title);
  ImGui::Separator();
  return true;
}

void draw_notice(app::App& app, Mirror& mirror) {
  const bool open = app.notice().has_value();
  if (!begin_dialog(mirror, "notice", open, open ? app.notice()->title : "", "noticeOk")) return;
  ImGui::TextWrapped("%s", app.notice()->text.c_str());
  describe_last_item(mirror, "noticeText", client::UiRole::kText, app.notice()->text);
  if (button(mirror, "noticeOk", tr(Text::kOk), ImVec2(-1, 0), Emphasis::kAccent)) {
    app.dismiss_notice();
  }
  ImGui::EndPopup();
}

void draw_help(Dialogs& dialogs, Mirror& mirror) {
  if (mirror.activated("help")) dialogs.help = true;
  if (!begin_dialog(mirror, "help", dialogs.help, tr(Text::kKeyboardShortcuts), "helpClose")) {
    return;
  }
  static constexpr Text kLines[] = {Text::kShortcutMicrophone, Text::kShortcutCamera,
                                    Text::kShortcutHand,       Text::kShortcutFullScreen,
                                    Text::kShortcutLeave,      Text::kShortcutHelp,
                                    Text::kShortcutKeys};
  int line = 0;
  for (Text line_text : kLines) {
    const std::string text = tr(line_text);
    ImGui::TextWrapped("%s", text.c_str());
    describe_last_item(mirror, "helpLine" + std::to_string(line++), client::UiRole::kText, text);
  }
  ImGui::Spacing();
  if (checkbox(mirror, "shortcutsOn", tr(Text::kShortcutsSwitch), dialogs.shortcuts_on)) {
    dialogs.shortcuts_on = !dialogs.shortcuts_on;
    vc_setting_set(kShortcutsSetting, dialogs.shortcuts_on ? 1 : 0);
  }
  ImGui::Spacing();
  if (button(mirror, "helpClose", tr(Text::kClose), ImVec2(-1, 0), Emphasis::kAccent)) {
    dialogs.help = false;
  }
  ImGui::EndPopup();
}

void draw_confirm_leave(app::App& app, Dialogs& dialogs, Mirror& mirror) {
  if (mirror.activated("askLeave") && app.screen() == app::Screen::Room) {
    dialogs.confirm_leave = true;
  }
  if (app.screen() != app::Screen::Room) dialogs.confirm_leave = false;
  if (!begin_dialog(mirror, "confirmLeave", dialogs.confirm_leave, tr(Text::kLeaveTitle), "stay")) {
    return;
  }
  const std::string text = tr(Text::kLeaveText);
  ImGui::TextWrapped("%s", text.c_str());
  describe_last_item(mirror, "confirmLeaveText", client::UiRole::kText, text);
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (button(mirror, "stay", tr(Text::kStay), ImVec2(half, 0))) dialogs.confirm_leave = false;
  ImGui::SameLine();
  if (button(mirror, "confirmLeaveYes", tr(Text::kLeave), ImVec2(half, 0), Emphasis::kDanger)) {
    dialogs.confirm_leave = false;
    app.leave();
  }
  ImGui::EndPopup();
}

}  // namespace

void load_dialog_settings(Dialogs& dialogs) {
  dialogs.shortcuts_on = vc_setting_get(kShortcutsSetting) != 0;
}

void declare_shortcuts(const app::App& app, const Dialogs& dialogs, Mirror& mirror) {
  if (!dialogs.shortcuts_on) return;
  // A control the page has hidden (the element's controls attribute) has no key either.
  const auto& settings = app.settings();
  if (client::shows_control(settings, "microphone")) mirror.shortcut("m", "microphone");
  if (client::shows_control(settings, "camera")) mirror.shortcut("v", "camera");
  mirror.shortcut("?", "help");
  if (app.screen() == app::Screen::Room && client::shows_control(settings, "leave")) {
    mirror.shortcut("l", "askLeave");
  }
  if (app.screen() == app::Screen::Room && client::shows_control(settings, "hand")) {
    mirror.shortcut("h", "hand");
  }
  if (app.screen() == app::Screen::Room && client::shows_control(settings, "fullScreen")) {
    mirror.shortcut("f", "fullScreen");
  }
}

void draw_dialogs(app::App& app, Dialogs& dialogs, Mirror& mirror) {
  draw_notice(app, mirror);
  draw_help(dialogs, mirror);
  draw_confirm_leave(app, dialogs, mirror);
}

}  // namespace videochat::ui
