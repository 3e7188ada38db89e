// The client's entry point: the page's canvas with WebGL2, Dear ImGui drawn in an animation frame
// only when something may have changed (input, the app's state, the window's size), the DOM
// mirror that gives each control a real element, and the App behind it, whose clock runs on a
// browser timer. The page's elements take the keyboard and the pointer; ImGui only hears where the
// pointer is, to draw hover and pressed looks. Also the HiDPI, font and clipboard glue.
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/html5.h>
#include <emscripten/val.h>
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "app.hpp"
#include "font_atlas.hpp"
#include "frame_scheduler.hpp"
#include "host.hpp"
#include "host_settings.hpp"
#include "imgui_webgl.hpp"
#include "js_callback.hpp"
#include "lobby.hpp"
#include "mirror.hpp"
#include "texts.hpp"
#include "views.hpp"
#include "widgets.hpp"

namespace {

using emscripten::val;
using videochat::browser::once;

constexpr float kFontSize = 16;
constexpr float kTitleSize = 30;

// dom_mirror.js: applies a client::mirror_update to the page's elements.
extern "C" void vc_mirror_apply(const char* update);
// bridge.js: Emscripten's calls on "#canvas" reach this client's canvas.
extern "C" void vc_host_attach();

void request_frame();        // after input
void request_state_frame();  // after a change of the app's state
void frame();

// What the page asked for (the element's attributes), read once; what makes no sense is said to
// the page as an error event and left at its default.
videochat::client::HostSettings read_settings() {
  auto parsed = videochat::client::parse_host_settings(videochat::browser::host_settings_json());
  for (const auto& problem : parsed.problems) {
    val::global("console").call<void>("warn", "[videochat] " + problem);
    videochat::browser::emit("error",
                             {{"code", "BAD_ATTRIBUTE"}, {"message", problem}, {"fatal", false}});
  }
  return parsed.settings;
}

// Everything that lives as long as the client.
struct Client {
  videochat::app::App app{read_settings(), request_state_frame};
  videochat::ui::LobbyForm lobby;
  videochat::ui::Mirror mirror;
  videochat::ui::Dialogs dialogs;
  videochat::ui::PictureLayer pictures{request_state_frame};
  videochat::ui::Fonts fonts;
  bool fonts_changed = true;
  int fonts_pending = 0;  // typefaces not yet loaded (or failed)
  bool drawn_once = false;
  float font_scale = 0;  // the device pixel ratio the atlas was made for
  float css_width = 0, css_height = 0, pixel_ratio = 1;
  double observed_width = 0, observed_height = 0;  // the canvas's CSS size: vc_canvas_resized
  int framebuffer_width = 0, framebuffer_height = 0;
  ImVec2 pointer{-FLT_MAX, -FLT_MAX};  // CSS pixels of the canvas; off the page: -FLT_MAX
  bool pointer_down = false;
  double last_frame_ms = 0;
  val coarse_pointer = val::global("matchMedia")(std::string("(pointer: coarse)"));
  val light_scheme = val::global("matchMedia")(std::string("(prefers-color-scheme: light)"));
  val reduced_motion = val::global("matchMedia")(std::string("(prefers-reduced-motion: reduce)"));
  bool touch = false, light = false, themed = false;
  videochat::browser::ImGuiWebGl renderer;
  videochat::browser::FrameScheduler frames{frame};
  long tick_timer = 0;
  bool shut_down = false;
  bool context_lost = false;  // the browser took the canvas's WebGL context away
  videochat::ui::RoomViewState room;
};

Client& client() {
  static Client instance;
  return instance;
}

// Our two typefaces, as the document knows them once loaded (font_atlas.js).
constexpr videochat::browser::Typeface kRegular{"VideoChat Inter", 400};
constexpr videochat::browser::Typeface kSemiBold{"VideoChat Inter", 600};

// The first frame waits for the fonts (or their failure): an atlas drawn in a fallback font would
// be made, uploaded and thrown away while the page is busiest.
void font_settled() {
  Client& c = client();
  c.fonts_changed = true;
  if (--c.fonts_pending == 0) request_frame();
}

void load_fonts() {
  Client& c = client();
  c.fonts_pending = 2;
  videochat::browser::load_typeface(
      kRegular, videochat::browser::asset_url("fonts/Inter-Regular.otf"), font_settled);
  videochat::browser::load_typeface(
      kSemiBold, videochat::browser::asset_url("fonts/Inter-SemiBold.otf"), font_settled);
}

// Fonts are drawn at the device's pixel density and shown at CSS size, so text is crisp.
void rebuild_fonts() {
  Client& c = client();
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  c.fonts.body = videochat::browser::add_font(*io.Fonts, kRegular, kFontSize * c.pixel_ratio);
  c.fonts.title = videochat::browser::add_font(*io.Fonts, kSemiBold, kTitleSize * c.pixel_ratio);
  videochat::browser::build_font_atlas(*io.Fonts);
  io.FontGlobalScale = 1.0f / c.pixel_ratio;
  c.renderer.upload_fonts();
  c.font_scale = c.pixel_ratio;
  c.fonts_changed = false;
}

// The canvas's backing store follows its CSS size times devicePixelRatio, so the UI is crisp.
// ("#canvas" is this client's canvas: vc_host_attach.)
void follow_canvas_size() {
  Client& c = client();
  const double width = c.observed_width, height = c.observed_height;
  c.pixel_ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
  int framebuffer_width = std::max(1, static_cast<int>(std::lround(width * c.pixel_ratio)));
  int framebuffer_height = std::max(1, static_cast<int>(std::lround(height * c.pixel_ratio)));
  if (framebuffer_width != c.framebuffer_width || framebuffer_height != c.framebuffer_height) {
    emscripten_set_canvas_element_size("#canvas", framebuffer_width, framebuffer_height);
    c.framebuffer_width = framebuffer_width;
    c.framebuffer_height = framebuffer_height;
  }
  c.css_width = static_cast<float>(std::max(width, 1.0));
  c.css_height = static_cast<float>(std::max(height, 1.0));
}

// The page's own elements (the fields' text, the focus ring, the background) take the palette's
// colours through CSS custom properties on the client's box, so that they and the canvas are one
// theme.
void share_palette_with_page(const videochat::client::Palette& palette) {
  using videochat::client::css_color;
  val style = videochat::browser::host()["container"]["style"];
  const std::pair<const char*, videochat::client::Color> properties[] = {
      {"--vc-page", palette.page},
      {"--vc-surface", palette.surface},
      {"--vc-text", palette.text},
      {"--vc-placeholder", palette.placeholder},
      {"--vc-focus-ring", palette.focus_ring},
      {"--vc-muted-text", palette.muted_text},
      {"--vc-field", palette.field},
      {"--vc-button", palette.button},
      {"--vc-warning-text", palette.warning_text},
      {"--vc-level", palette.level},
      {"--vc-level-track", palette.level_track},
  };
  for (const auto& [name, color] : properties) {
    style.call<void>("setProperty", std::string(name), css_color(color));
  }
  style.set("colorScheme", std::string(palette.page.r > 0.5f ? "light" : "dark"));
}

void frame() {
  Client& c = client();
  // Nothing to draw on before layout gave the canvas a size (the observer then asks for a frame).
  if (c.fonts_pending > 0 || c.shut_down || c.observed_width <= 0 || c.observed_height <= 0) {
    return;
  }
  const bool first = !c.drawn_once;
  if (first) {
    // The page's "Loading..." goes once there is something to see instead.
    c.drawn_once = true;
    val status = videochat::browser::element_by_id("status");
    if (!status.isNull()) status.call<void>("remove");
  }
  follow_canvas_size();
  // A finger needs larger targets than a mouse (the pointer can change: a tablet's keyboard), and
  // the person may prefer light colours (or switch, e.g. at sunset).
  const bool touch = c.coarse_pointer["matches"].as<bool>();
  using videochat::client::Theme;
  const Theme theme = c.app.settings().theme;
  const bool light =
      theme == Theme::kLight || (theme == Theme::kAuto && c.light_scheme["matches"].as<bool>());
  if (!c.themed || touch != c.touch || light != c.light) {
    c.themed = true;
    c.touch = touch;
    c.light = light;
    videochat::ui::apply_theme(touch, light);
    share_palette_with_page(videochat::ui::palette());
  }
  if (c.fonts_changed || c.font_scale != c.pixel_ratio) rebuild_fonts();

  ImGuiIO& io = ImGui::GetIO();
  const double now_ms = emscripten_get_now();
  // Two animation frames can share a timestamp; ImGui needs time to pass.
  io.DeltaTime = static_cast<float>(std::max(now_ms - c.last_frame_ms, 1.0) / 1000);
  c.last_frame_ms = now_ms;
  io.DisplaySize = ImVec2(c.css_width, c.css_height);
  io.DisplayFramebufferScale =
      ImVec2(c.framebuffer_width / c.css_width, c.framebuffer_height / c.css_height);
  io.MousePos = c.pointer;
  io.MouseDown[0] = c.pointer_down;
  ImGui::NewFrame();
  // The one animation, the dimming that fades in behind a dialog, is not played to someone who
  // asked for less motion.
  if (c.reduced_motion["matches"].as<bool>()) videochat::ui::skip_animations();

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("##main", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  if (c.app.screen() == videochat::app::Screen::Lobby) {
    videochat::ui::draw_lobby(c.app, c.lobby, c.mirror, c.pictures, c.fonts);
  } else {
    c.lobby.shown = false;
    c.lobby.was_in_room = true;
    videochat::ui::draw_room(c.app, c.room, c.mirror, c.pictures, c.fonts, now_ms);
  }
  videochat::ui::draw_dialogs(c.app, c.dialogs, c.mirror);
  videochat::ui::declare_shortcuts(c.app, c.dialogs, c.mirror);
  ImGui::End();

  ImGui::Render();
  c.pictures.commit();
  const std::string mirror_update = c.mirror.end_frame(videochat::ui::screen_view(c.app));
  if (!mirror_update.empty()) vc_mirror_apply(mirror_update.c_str());
  // A window that sizes itself to its contents (a dialog) is laid out hidden in its first frame,
  // the dimming behind a dialog fades in over a few, and a view may lay out from the last one.
  const bool unsettled = videochat::ui::another_frame_asked();
  if (videochat::ui::windows_still_hidden() || videochat::ui::dimming_fades_in() || unsettled) {
    request_state_frame();
  }
  // The page's first frame is laid out from no measurements: where a view lays out from the last
  // frame's (the lobby's preview takes the height the form below it leaves), the second frame is
  // the first to show. Not drawing the first saves a change of the canvas, which without a GPU the
  // compositor reads back on this thread, 20-45 ms while the camera starts. Only the first: a
  // later frame may follow a resize, which has cleared the canvas.
  if (unsettled && first) return;
  // Without a context the frame still lays out the page's elements (the DOM mirror, the
  // pictures): the keyboard and screen readers keep working while the canvas is away.
  if (c.context_lost) return;
  c.renderer.render(*ImGui::GetDrawData(), c.framebuffer_width, c.framebuffer_height);
}

void request_frame() {
  client().frames.request();
}
void request_state_frame() {
  client().frames.request(videochat::browser::FrameScheduler::kStateSettleFrames);
}

void on_tick(void*) {
  client().app.tick(emscripten_get_now());
}

// Copy goes to navigator.clipboard (ImGui never pastes: text is typed into the page's own fields).
void set_clipboard(void*, const char* text) {
  val clipboard = val::global("navigator")["clipboard"];
  if (!clipboard.isUndefined()) {
    clipboard.call<val>("writeText", std::string(text)).call<val>("catch", once([](val) {}));
  }
}

}  // namespace

// bridge.js: calls vc_pointer on every pointer event (where it is, in CSS pixels of the canvas,
// and whether its main button is down), vc_canvas_resized when layout changes the canvas's size,
// and vc_request_frame on every other event that can change what the UI shows besides the app's
// own state (a change of devicePixelRatio, the page shown again).
extern "C" void vc_watch_for_redraws();
extern "C" EMSCRIPTEN_KEEPALIVE void vc_request_frame() {
  request_frame();
}
// bridge.js's ResizeObserver: the canvas's CSS size after layout changed it.
extern "C" EMSCRIPTEN_KEEPALIVE void vc_canvas_resized(double width, double height) {
  Client& c = client();
  c.observed_width = width;
  c.observed_height = height;
  request_frame();
}
// bridge.js: the browser took the canvas's WebGL context away (a GPU process that crashed or was
// reset, too many contexts in one page), or gave it back, blank and without anything made in it:
// the renderer then makes its program, buffers and font texture again and the UI is drawn.
extern "C" EMSCRIPTEN_KEEPALIVE void vc_context_changed(int lost) {
  Client& c = client();
  c.context_lost = lost != 0 || !c.renderer.init();
  if (c.context_lost) return;
  c.fonts_changed = true;  // the atlas's pixels were let go once uploaded: drawn again
  request_frame();
}
extern "C" EMSCRIPTEN_KEEPALIVE void vc_pointer(float x, float y, int down) {
  Client& c = client();
  c.pointer = x < -1e8f ? ImVec2(-FLT_MAX, -FLT_MAX) : ImVec2(x, y);
  c.pointer_down = down != 0;
  request_frame();
}

std::string vc_state() {
  return client().app.state_json();
}
std::string vc_ui() {
  return client().mirror.controls_json();
}
// What the person did on the mirror's elements: taken by the next frame.
void vc_activate(std::string id) {
  client().mirror.activate(id);
  request_frame();
}
void vc_input(std::string id, std::string text) {
  client().mirror.input(id, std::move(text));
  request_frame();
}
std::string vc_join(std::string room, std::string name, std::string passcode) {
  return client().app.join(room, name, passcode).value_or("");
}
void vc_lock_room(bool locked) {
  client().app.lock_room(locked);
}
void vc_leave() {
  client().app.leave();
}
void vc_renegotiate() {
  client().app.renegotiate();
}
void vc_set_microphone(bool on) {
  client().app.set_microphone(on);
}
double vc_frames_rendered() {
  return client().frames.frames_drawn();
}
void vc_set_camera(bool on) {
  client().app.set_camera(on);
}
std::string vc_api_state() {
  return videochat::client::to_json(client().app.api_state()).dump();
}
// The name the lobby shows and the room hears (in a call too).
void vc_set_display_name(std::string name) {
  client().app.set_display_name(name);
}
// Tracks of other devices the person chose (the page's setDevices).
void vc_use_devices(val stream) {
  client().app.use_devices(std::move(stream));
}
void vc_prefill_room(std::string room) {
  client().app.prefill_room(room);
}
// The client is taken off the page: it leaves its room, closes its connections, stops the camera
// and draws no more. shell/client.js then releases the WebGL context and forgets the instance.
void vc_shut_down() {
  Client& c = client();
  if (c.shut_down) return;
  c.shut_down = true;
  c.app.shut_down();
  emscripten_clear_interval(c.tick_timer);
}

// Screen sharing: the browser shows its picker (it must follow a click or key press).
void vc_share_screen(bool on) {
  client().app.share_screen(on);
}
// Sends a chat message; "" when sent, else why not, in words.
std::string vc_send_chat(std::string text) {
  return client().app.send_chat(text).value_or("");
}
std::string vc_chat() {
  return client().app.chat_json().dump();
}
void vc_set_chat_open(bool open) {
  client().app.set_chat_open(open);
}

// The JavaScript API (wrapped as window.videochat by the page).
EMSCRIPTEN_BINDINGS(videochat_api) {
  emscripten::function("vcState", &vc_state);
  emscripten::function("vcUi", &vc_ui);
  emscripten::function("vcActivate", &vc_activate);
  emscripten::function("vcInput", &vc_input);
  emscripten::function("vcJoin", &vc_join);
  emscripten::function("vcLockRoom", &vc_lock_room);
  emscripten::function("vcLeave", &vc_leave);
  emscripten::function("vcRenegotiate", &vc_renegotiate);
  emscripten::function("vcSetMicrophone", &vc_set_microphone);
  emscripten::function("vcSetCamera", &vc_set_camera);
  emscripten::function("vcFramesRendered", &vc_frames_rendered);
  emscripten::function("vcApiState", &vc_api_state);
  emscripten::function("vcSetDisplayName", &vc_set_display_name);
  emscripten::function("vcPrefillRoom", &vc_prefill_room);
  emscripten::function("vcUseDevices", &vc_use_devices);
  emscripten::function("vcShutDown", &vc_shut_down);
  emscripten::function("vcShareScreen", &vc_share_screen);
  emscripten::function("vcSendChat", &vc_send_chat);
  emscripten::function("vcChat", &vc_chat);
  emscripten::function("vcSetChatOpen", &vc_set_chat_open);
}

// The language: the element's lang (our page: its ?lang=), else the browser's languages
// (texts.hpp). The client's box says which, for screen readers' voices and the browser's
// hyphenation and spelling.
void choose_language(const videochat::client::HostSettings& settings) {
  std::vector<std::string> preferred;
  val languages = val::global("navigator")["languages"];
  if (!languages.isUndefined()) preferred = emscripten::vecFromJSArray<std::string>(languages);
  std::string asked = settings.language;
  if (asked.empty() && settings.follow_address) {
    asked = videochat::client::query_parameter(val::global("location")["search"].as<std::string>(),
                                               "lang")
                .value_or("");
  }
  videochat::client::set_language(videochat::client::choose_language(asked, preferred));
  videochat::browser::host()["container"].set("lang", std::string(videochat::client::language()));
}

int main() {
  vc_host_attach();
  Client& c = client();
  choose_language(c.app.settings());
  EmscriptenWebGLContextAttributes attributes;
  emscripten_webgl_init_context_attributes(&attributes);
  attributes.majorVersion = 2;
  // Transparent over the pictures; ImGui draws flat triangles in order: no depth or stencil
  // buffer to allocate and clear, no multisampling.
  attributes.alpha = true;
  attributes.premultipliedAlpha = true;
  attributes.depth = false;
  attributes.stencil = false;
  attributes.antialias = false;
  const auto context = emscripten_webgl_create_context("#canvas", &attributes);
  if (context <= 0) {
    val::global("console").call<void>("error", std::string("WebGL2 is not available"));
    return 1;
  }
  emscripten_webgl_make_context_current(context);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no settings files in a browser
  io.LogFilename = nullptr;
  if (!c.renderer.init()) return 1;
  io.SetClipboardTextFn = set_clipboard;
  videochat::ui::load_dialog_settings(c.dialogs);

  load_fonts();
  vc_watch_for_redraws();
  c.app.start();
  c.tick_timer = emscripten_set_interval(on_tick, videochat::app::App::kTickIntervalMs, nullptr);
  request_frame();
  return 0;
}
