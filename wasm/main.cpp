// The client's entry point: a GLFW window (the page's canvas) with WebGL2, Dear ImGui drawn in an
// animation frame only when something may have changed (input, the app's state, the window's
// size), and the App behind it, whose clock runs on a browser timer. Also the HiDPI, font,
// clipboard and cursor glue that Emscripten 3.1.6's GLFW lacks.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/html5.h>
#include <emscripten/val.h>
#define GLFW_INCLUDE_ES3
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "app.hpp"
#include "frame_scheduler.hpp"
#include "imgui_webgl.hpp"
#include "js_callback.hpp"
#include "views.hpp"
#include "widgets.hpp"

namespace {

using emscripten::val;
using videochat::browser::JsCallback;
using videochat::browser::once;

constexpr float kFontSize = 16;
constexpr float kTitleSize = 30;

void request_frame();        // after input
void request_state_frame();  // after a change of the app's state
void frame();

// Everything that lives as long as the page.
struct Client {
  GLFWwindow* window = nullptr;
  videochat::app::App app{request_state_frame};
  videochat::ui::LobbyForm lobby;
  videochat::ui::PictureLayer pictures{request_state_frame};
  videochat::ui::Fonts fonts;
  std::vector<unsigned char> regular_font, title_font;
  bool fonts_changed = true;
  int fonts_pending = 0;  // fetches not yet answered
  bool drawn_once = false;
  float font_scale = 0;  // the device pixel ratio the atlas was made for
  float css_width = 0, css_height = 0, pixel_ratio = 1;
  int framebuffer_width = 0, framebuffer_height = 0;
  std::string clipboard;  // the text of the last paste into the page
  std::unique_ptr<JsCallback> on_paste;
  videochat::browser::ImGuiWebGl renderer;
  videochat::browser::FrameScheduler frames{frame};
  std::string cursor;  // the canvas's CSS cursor, as last set
};

Client& client() {
  static Client instance;
  return instance;
}

// The first frame waits for the fonts (or their failure): an atlas of ImGui's default font would
// be built, uploaded and thrown away while the page is busiest.
void font_settled() {
  if (--client().fonts_pending == 0) request_frame();
}

void fetch_font(const std::string& url, std::vector<unsigned char>& into) {
  ++client().fonts_pending;
  auto failed = [url](const std::string& why) {
    val::global("console").call<void>("warn", "font " + url + " not loaded: " + why);
    font_settled();
  };
  val::global("fetch")(url).call<val>(
      "then", once([&into, failed](val response) {
        if (!response["ok"].as<bool>()) {
          failed("HTTP " + std::to_string(response["status"].as<int>()));
          return;
        }
        response.call<val>("arrayBuffer")
            .call<val>("then", once([&into](val buffer) {
                         into = emscripten::convertJSArrayToNumberVector<unsigned char>(
                             val::global("Uint8Array").new_(buffer));
                         client().fonts_changed = true;
                         font_settled();
                       }),
                       once([failed](val) { failed("body not read"); }));
      }),
      once([failed](val) { failed("network error"); }));
}

// Fonts are rasterised at the device's pixel density and drawn at CSS size, so text is crisp.
void rebuild_fonts() {
  Client& c = client();
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  auto add = [&](std::vector<unsigned char>& data, float size) -> ImFont* {
    ImFontConfig config;
    if (data.empty()) {
      config.SizePixels = 13 * c.pixel_ratio;
      return io.Fonts->AddFontDefault(&config);
    }
    config.FontDataOwnedByAtlas = false;
    config.OversampleH = 2;
    return io.Fonts->AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()),
                                          size * c.pixel_ratio, &config);
  };
  c.fonts.body = add(c.regular_font, kFontSize);
  c.fonts.title = c.title_font.empty() ? c.fonts.body : add(c.title_font, kTitleSize);
  io.FontGlobalScale = 1.0f / c.pixel_ratio;
  c.renderer.upload_fonts();
  c.font_scale = c.pixel_ratio;
  c.fonts_changed = false;
}

// Emscripten's GLFW ignores devicePixelRatio: size the canvas's backing store ourselves.
void follow_canvas_size() {
  Client& c = client();
  double width = 0, height = 0;
  emscripten_get_element_css_size("#canvas", &width, &height);
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

// Presses of the keys the screens act on, recorded as they happen (see ui::enter_pressed).
bool g_enter_pressed = false, g_escape_pressed = false;
void record_key(GLFWwindow*, int key, int, int action, int) {
  if (action != GLFW_PRESS) return;
  if (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) g_enter_pressed = true;
  if (key == GLFW_KEY_ESCAPE) g_escape_pressed = true;
}

const char* cursor_for(ImGuiMouseCursor cursor) {
  switch (cursor) {
    case ImGuiMouseCursor_TextInput:
      return "text";
    case ImGuiMouseCursor_Hand:
      return "pointer";
    case ImGuiMouseCursor_None:
      return "none";
    default:
      return "default";
  }
}

void frame() {
  Client& c = client();
  if (c.fonts_pending > 0) return;
  if (!c.drawn_once) {
    // The page's "Loading..." goes once there is something to see instead.
    c.drawn_once = true;
    val status = val::global("document").call<val>("getElementById", std::string("status"));
    if (!status.isNull()) status.call<void>("remove");
  }
  follow_canvas_size();
  if (c.fonts_changed || c.font_scale != c.pixel_ratio) rebuild_fonts();

  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  // Two animation frames can share a timestamp; ImGui needs time to pass.
  if (io.DeltaTime <= 0) io.DeltaTime = 1.0f / 1000;
  io.DisplaySize = ImVec2(c.css_width, c.css_height);
  io.DisplayFramebufferScale =
      ImVec2(c.framebuffer_width / c.css_width, c.framebuffer_height / c.css_height);
  // GLFW reports the mouse in backing-store pixels; ImGui works in CSS pixels.
  if (io.MousePos.x != -FLT_MAX) {
    io.MousePos.x /= io.DisplayFramebufferScale.x;
    io.MousePos.y /= io.DisplayFramebufferScale.y;
  }
  ImGui::NewFrame();
  videochat::ui::note_key_presses(g_enter_pressed, g_escape_pressed);
  g_enter_pressed = g_escape_pressed = false;

  const double now_ms = emscripten_get_now();
  c.app.clear_control_rects();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("##main", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  if (c.app.screen() == videochat::app::Screen::Lobby) {
    videochat::ui::draw_lobby(c.app, c.lobby, c.pictures, c.fonts);
  } else {
    videochat::ui::draw_room(c.app, c.pictures, c.fonts, now_ms);
  }
  videochat::ui::draw_notice(c.app);
  ImGui::End();

  ImGui::Render();
  c.pictures.commit();
  // A window that sizes itself to its contents (a dialog) is laid out hidden in its first frame.
  if (videochat::ui::windows_still_hidden()) request_state_frame();
  // Transparent: the pictures under the canvas show through wherever the UI draws nothing. ImGui's
  // blending leaves premultiplied colours over (0,0,0,0), as the page compositor expects.
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  c.renderer.render(*ImGui::GetDrawData(), c.framebuffer_width, c.framebuffer_height);

  const std::string cursor = cursor_for(ImGui::GetMouseCursor());
  if (cursor != c.cursor) {
    c.cursor = cursor;
    val canvas = val::global("document").call<val>("getElementById", std::string("canvas"));
    canvas["style"].set("cursor", cursor);
  }
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

// Emscripten's GLFW has no clipboard: copy goes to navigator.clipboard, and paste reads the text
// of the browser's paste event (which fires before ImGui handles the Ctrl+V of the same keypress).
const char* get_clipboard(void*) {
  return client().clipboard.c_str();
}
void set_clipboard(void*, const char* text) {
  val clipboard = val::global("navigator")["clipboard"];
  if (!clipboard.isUndefined()) {
    clipboard.call<val>("writeText", std::string(text)).call<val>("catch", once([](val) {}));
  }
}

}  // namespace

// bridge.js: calls vc_request_frame on every event that can change what the UI shows, besides the
// app's own state (input, resize, a change of devicePixelRatio, the page shown again).
extern "C" void vc_watch_for_redraws();
extern "C" EMSCRIPTEN_KEEPALIVE void vc_request_frame() {
  request_frame();
}

std::string vc_state() {
  return client().app.state_json();
}
std::string vc_ui() {
  return client().app.controls_json();
}
std::string vc_join(std::string room, std::string name) {
  return client().app.join(room, name).value_or("");
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

// The JavaScript API (wrapped as window.videochat by the page).
EMSCRIPTEN_BINDINGS(videochat_api) {
  emscripten::function("vcState", &vc_state);
  emscripten::function("vcUi", &vc_ui);
  emscripten::function("vcJoin", &vc_join);
  emscripten::function("vcLeave", &vc_leave);
  emscripten::function("vcRenegotiate", &vc_renegotiate);
  emscripten::function("vcSetMicrophone", &vc_set_microphone);
  emscripten::function("vcSetCamera", &vc_set_camera);
  emscripten::function("vcFramesRendered", &vc_frames_rendered);
}

int main() {
  Client& c = client();
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  // ImGui draws flat triangles in order: no depth or stencil buffer to allocate and clear.
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  c.window = glfwCreateWindow(1280, 720, "Video chat", nullptr, nullptr);
  if (!c.window) {
    val::global("console").call<void>("error", std::string("WebGL2 is not available"));
    return 1;
  }
  glfwMakeContextCurrent(c.window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no settings files in a browser
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  // A blinking text cursor would need frames forever while a field has the focus.
  io.ConfigInputTextCursorBlink = false;
  videochat::ui::apply_theme();
  // Installed first: ImGui's backend chains to callbacks it finds in place.
  glfwSetKeyCallback(c.window, record_key);
  ImGui_ImplGlfw_InitForOpenGL(c.window, true);
  if (!c.renderer.init()) return 1;
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  c.on_paste = std::make_unique<JsCallback>([](val event) {
    val data = event["clipboardData"];
    if (!data.isUndefined() && !data.isNull()) {
      client().clipboard = data.call<std::string>("getData", std::string("text"));
    }
    request_frame();
  });
  val::global("window").call<void>("addEventListener", std::string("paste"),
                                   c.on_paste->function());

  fetch_font("fonts/Inter-Regular.otf", c.regular_font);
  fetch_font("fonts/Inter-SemiBold.otf", c.title_font);
  vc_watch_for_redraws();
  c.app.start();
  emscripten_set_interval(on_tick, videochat::app::App::kTickIntervalMs, nullptr);
  request_frame();
  return 0;
}
