// The client application: ties the person's intents, the signaling socket, the call machine and
// the browser's media together. It owns no UI; the views read its state and call its intents.
#pragma once

#include <emscripten/val.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api_events.hpp"
#include "call_machine.hpp"
#include "first_picture.hpp"
#include "frozen_video.hpp"
#include "host_settings.hpp"
#include "js_callback.hpp"
#include "local_media.hpp"
#include "peer_connections.hpp"
#include "peer_watch.hpp"
#include "screen_capture.hpp"
#include "side_channel.hpp"
#include "signaling_socket.hpp"

namespace videochat::app {

enum class Screen { Lobby, Room };

enum class SignalingStatus { Offline, Connecting, Online, Retrying };
std::string_view to_string(SignalingStatus status);

// A message for the person, with what they can do about it.
struct Notice {
  std::string title;
  std::string text;
};

class App final {
 public:
  // `changed` is called whenever something the views show has changed: the UI is drawn only then
  // (and on input). `settings`: what the page asked for (the element's attributes).
  App(client::HostSettings settings, std::function<void()> changed);

  // Loads config.json and starts the camera preview; joins at once if the page asked to.
  void start();
  // The client is taken off the page: leaves the room, closes every connection and stops the
  // camera and microphone. Nothing works after it.
  void shut_down();
  // The clock: pings, reconnects, the call machine's timers, statistics. Driven by a browser timer
  // (kTickIntervalMs), never by painting, so that a hidden page keeps its call.
  static constexpr double kTickIntervalMs = 250;
  void tick(double now_ms);

  // The person's intents. join() answers why it cannot join, if it cannot. The passcode (empty for
  // none) is the room's, or becomes it when the room is new.
  std::optional<std::string> join(const std::string& room, const std::string& name,
                                  const std::string& passcode = {});
  // Locks the room against new joiners, or unlocks it.
  void lock_room(bool locked) { run(machine_.lock_room(locked)); }
  bool room_locked() const { return machine_.room_locked(); }
  void leave();
  // A new offer with an ICE restart to every peer.
  void renegotiate() { run(machine_.renegotiate()); }
  void set_microphone(bool on) {
    media_.set_microphone(on);
    show_changes();
  }
  void set_camera(bool on) {
    media_.set_camera(on);
    show_changes();
  }

  // Shares a screen, window or tab (the browser asks which), or stops sharing it.
  void share_screen(bool on);
  bool sharing_screen() const { return screen_share_.sharing(); }
  // Whether this browser can share a screen at all (phones cannot).
  bool can_share_screen() const { return browser::ScreenCapture::supported(); }
  const std::string& own_screen_element() const { return screen_share_.preview_element_id(); }
  // The person's chat message, to everyone who can chat; why not, in words, if it is not sent.
  std::optional<std::string> send_chat(const std::string& text);
  void set_chat_open(bool open) { side_.set_chat_open(open); }
  const SideChannel& side() const { return side_; }
  // A short-lived remark for the status line (screen sharing was cancelled…), or "".
  std::string remark(double now_ms) const { return now_ms < remark_until_ms_ ? remark_ : ""; }
  double now_ms() const { return now_ms_; }

  Screen screen() const { return screen_; }
  const std::string& room() const { return room_; }
  const std::string& name() const { return name_; }
  const std::string& initial_room() const { return initial_room_; }
  // The passcode the page's link carried (#passcode=), or the one last typed.
  const std::string& passcode() const { return passcode_; }
  // The server wants a passcode (another, or after a wait): the lobby says why, once, and puts
  // the focus in its passcode field.
  std::optional<std::string> take_passcode_request() { return std::exchange(passcode_request_, {}); }
  // What the lobby's fields start with; the page may change them (the element's room and
  // display-name attributes). The versions count the changes, so the lobby fills a field anew.
  void prefill_room(const std::string& room);
  void prefill_name(const std::string& name);
  int room_version() const { return room_version_; }
  int name_version() const { return name_version_; }
  // Other devices the person chose (the tracks of `stream`): sent to every peer in place of the
  // old ones, or, for a kind there was none of, added (which renegotiates).
  void use_devices(emscripten::val stream);
  // The name the room hears: before joining, and in a call (the others see it change).
  void set_display_name(const std::string& name);
  const client::HostSettings& settings() const { return settings_; }
  // What the embedding page sees: getState(), and the events between two of them.
  client::ApiState api_state() const;
  bool config_loaded() const { return config_loaded_; }
  SignalingStatus signaling() const { return signaling_; }
  // The server has answered our join: the member list is known.
  bool joined() const { return signaling_ == SignalingStatus::Online && machine_.joined(); }
  double seconds_until_retry(double now_ms) const;
  const browser::LocalMedia& media() const { return media_; }
  client::CallSnapshot call() const { return machine_.snapshot(); }
  std::string peer_element(client::PeerKey peer) const { return peers_.video_element_id(peer); }
  // The <video> element of the screen the peer shares, or "".
  std::string peer_screen_element(client::PeerKey peer) const {
    return peers_.screen_element_id(peer);
  }
  client::PeerStats stats(client::PeerKey peer) const { return peers_.stats(peer); }
  // Who speaks, how each link is, the safety codes.
  const PeerWatch& watch() const { return watch_; }
  // The peer's connection came up a moment ago: its first picture may still be on its way.
  bool awaiting_first_picture(client::PeerKey peer) const {
    return first_picture_.waiting(peer, now_ms_);
  }
  void raise_hand(bool raised) { side_.raise_hand(raised); }
  bool hand_raised() const { return side_.hand_raised(); }
  // The person speaks with the microphone muted: the views say so.
  bool speaking_while_muted() const { return speaking_while_muted_; }
  // True while the call goes on without signaling: media flows, nobody can join or reconnect.
  bool signaling_interrupted() const {
    return screen_ == Screen::Room && signaling_ != SignalingStatus::Online;
  }
  std::string share_link() const;

  // The TURN relay refused this page's credentials since the server last gave it some: a peer
  // not connected cannot be reached through the relay (and, relaying only, not at all).
  bool relay_refused() const { return relay_refusal_.has_value(); }
  bool relays_only() const { return peers_.relays_only(); }

  const std::optional<Notice>& notice() const { return notice_; }
  void dismiss_notice() {
    notice_.reset();
    show_changes();
  }

  std::string state_json() const;
  // The chat as the page's API shows it: {"open", "unread", "messages": [...]}.
  nlohmann::json chat_json() const;

 private:
  void load_config();
  void read_config(const std::string& text);
  void config_settled();
  void connect();
  // The server refused the join for good (a full room, a name it will not show): back in the
  // lobby, signaling closed, the notice saying why.
  void back_to_lobby(Notice notice, const std::string& wire_code);
  // The same when the passcode is what is missing or wrong: no notice, the lobby asks for it.
  void back_to_lobby_for_passcode(std::string why, const std::string& wire_code);
  // What both share: out of the room with nothing to undo on the server, signaling closed.
  void leave_refused();
  void on_socket_open();
  void on_socket_message(const std::string& text);
  void on_socket_closed(int code, const std::string& reason);
  void run(client::Actions actions);
  // The camera and microphone are settled: send them to the peers made before they arrived.
  void on_media_settled();
  // Sends the local stream's tracks to every peer that does not have them yet (renegotiating where
  // that adds a sender).
  void send_media_to_peers();
  // What the views show, as one string (see show_changes).
  std::string view_signature(const client::CallSnapshot& call, double now_ms) const;
  // Calls `changed` when what the views show differs from what they last showed: events that
  // change nothing visible (a candidate, statistics) draw nothing.
  void show_changes();
  // Compares each peer's frames decoded with the frames its tile drew, and has the machine replace
  // a connection whose picture froze while its video kept coming.
  void watch_for_frozen_video(double now_ms);
  void log(const std::string& line) const;
  // Tells the page what changed since it last heard (the element's events).
  void publish_events();
  void report_error(const std::string& code, const std::string& message, bool fatal);
  void on_screen_share_changed();
  // Our own voice: lowers a raised hand after a while, and notices speaking while muted.
  void watch_own_voice(double now_ms);
  void show_remark(const std::string& text);

  client::HostSettings settings_;
  std::function<void()> changed_;
  double next_machine_tick_ms_ = 0;
  client::CallMachine machine_;
  browser::LocalMedia media_;
  browser::PeerConnections peers_;
  browser::SignalingSocket socket_;
  browser::ScreenCapture screen_share_;
  SideChannel side_;
  PeerWatch watch_;
  client::SpeakingDetector muted_voice_;  // our voice while muted (the page listens)
  bool speaking_while_muted_ = false;
  std::string remark_;
  double remark_until_ms_ = 0;

  Screen screen_ = Screen::Lobby;
  std::string room_;
  std::string name_;
  std::string initial_room_;
  std::string passcode_;
  std::optional<std::string> passcode_request_;
  std::string signaling_url_;
  bool config_loaded_ = false;
  SignalingStatus signaling_ = SignalingStatus::Offline;
  int reconnect_attempt_ = 0;
  double reconnect_at_ms_ = 0;
  double next_stats_ms_ = 0;
  double next_ping_ms_ = 0;
  // Well inside API Gateway's 10-minute idle timeout. config.json may set another
  // (pingIntervalSeconds), e.g. for a test that must see a ping without waiting minutes.
  double ping_interval_ms_ = 4 * 60 * 1000;
  std::string shown_view_;  // view_signature() when `changed` was last called
  double now_ms_ = 0;
  std::optional<Notice> notice_;
  struct RelayRefusal {
    int code = 0;
    std::string url;
  };
  std::optional<RelayRefusal> relay_refusal_;
  // Frames each peer's <video> element presented, as last sampled (see frames_presented).
  std::map<std::uint32_t, double> frames_drawn_;
  std::map<std::uint32_t, client::FrozenVideoWatch> frozen_video_;
  client::FirstPictureWait first_picture_;
  // The room the server let us into (kept while signaling is down), and what the page last heard.
  std::optional<std::string> joined_room_;
  client::ApiState published_;
  int room_version_ = 0;
  int name_version_ = 0;
};

}  // namespace videochat::app
