#include "app.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <vector>

#include "client_frames.hpp"
#include "host.hpp"
#include "lobby.hpp"
#include "random_id.hpp"
#include "texts.hpp"

// bridge.js: history.replaceState(link) once the page is idle.
extern "C" void vc_show_address(const char* link);

namespace videochat::app {

using browser::once;
using emscripten::val;
using nlohmann::json;

std::string_view to_string(SignalingStatus status) {
  switch (status) {
    case SignalingStatus::Offline:
      return "offline";
    case SignalingStatus::Connecting:
      return "connecting";
    case SignalingStatus::Online:
      return "online";
    case SignalingStatus::Retrying:
      return "retrying";
  }
  return "offline";
}

namespace {

// `text` in Unicode normalization form C (the browser's tables: the client carries none).
std::string nfc(const std::string& text) {
  return val(text).call<std::string>("normalize", std::string("NFC"));
}

constexpr double kStatsIntervalMs = 1000;
constexpr double kMachineTickMs = 500;
constexpr int kPolicyViolation = 1008;

// Our page's address, without query or fragment: where a shared link leads (for a widget too, so
// that anyone can join from our page).
std::string page_url() {
  return browser::host()["pageUrl"].as<std::string>();
}

// A chat message as the page's API shows it (the chat-message event, getChat()).
json chat_message_json(const client::ChatEntry& entry) {
  return {{"id", entry.id},
          {"from", entry.author_peer_id},
          {"name", entry.author_name},
          {"text", entry.text},
          {"sentAt", entry.sent_at_ms},
          {"own", entry.own},
          {"relayedBy", entry.relayed_by ? json(*entry.relayed_by) : json(nullptr)}};
}

}  // namespace

json App::chat_json() const {
  json messages = json::array();
  for (const auto& entry : side_.chat().entries()) messages.push_back(chat_message_json(entry));
  return {{"open", side_.chat().open()}, {"unread", side_.chat().unread()}, {"messages", messages}};
}

// The App lives as long as the page, so its adapters' handlers may hold `this`.
App::App(client::HostSettings settings, std::function<void()> changed)
    : settings_(std::move(settings)),
      changed_(std::move(changed)),
      // The page's peerId, kept for the page's lifetime: a reconnect is known as the same person.
      machine_(browser::random_id()),
      media_("vc-local-preview", [this] { on_media_settled(); }),
      peers_({
          .local_description =
              [this](client::PeerKey peer, protocol::SdpType type, std::string sdp) {
                run(machine_.local_description(peer, type, std::move(sdp)));
              },
          .local_candidate =
              [this](client::PeerKey peer, std::string candidate) {
                run(machine_.local_candidate(peer, candidate));
              },
          .remote_description_applied =
              [this](client::PeerKey peer) { run(machine_.remote_description_applied(peer)); },
          .negotiation_failed =
              [this](client::PeerKey peer, std::string why) {
                run(machine_.negotiation_failed(peer, why));
              },
          .state_changed =
              [this](client::PeerKey peer, std::string state) {
                auto parsed = client::parse_peer_connection_state(state);
                if (parsed) run(machine_.peer_connection_state(peer, *parsed));
              },
          .log = [this](std::string line) { log(line); },
          .playback_blocked = [] { browser::emit("audio-blocked", json::object()); },
          .data_open =
              [this](client::PeerKey peer) {
                side_.opened(peer);  // says which stream is our screen, before it arrives
                if (peers_.send_screen_to(peer)) run(machine_.local_media_changed(peer));
              },
          .data_message = [this](client::PeerKey peer,
                                 std::string text) { side_.message(peer, text); },
          .data_closed = [this](client::PeerKey peer) { side_.closed(peer); },
          .stats =
              [this](client::PeerKey peer, const client::PeerStats& stats) {
                std::string peer_id;
                for (const auto& known : machine_.snapshot().peers) {
                  if (known.key == peer) peer_id = known.peer_id.value_or("");
                }
                watch_.observe(peer, peer_id, stats, now_ms_);
                show_changes();
              },
          .relay_refused =
              [this](client::PeerKey, int code, std::string url) {
                // Every connection gathering with the same credentials hears the same refusal:
                // said once, until the server hands out new ones.
                if (relay_refusal_) return;
                relay_refusal_ = RelayRefusal{code, url};
                report_error("RELAY_REFUSED",
                             "the TURN relay " + url + " refused this page's credentials (STUN " +
                                 std::to_string(code) + ")",
                             false);
                show_changes();
              },
      }),
      socket_({
          .opened = [this] { on_socket_open(); },
          .message = [this](std::string text) { on_socket_message(text); },
          .closed = [this](int code, std::string reason) { on_socket_closed(code, reason); },
      }),
      screen_share_({
          .started = [this] { on_screen_share_changed(); },
          .ended = [this] { on_screen_share_changed(); },
          .refused =
              [this](std::string why) {
                show_remark(why);
                report_error("SCREEN_SHARE_REFUSED", why, false);
              },
      }),
      side_(peers_, {
                        .call = [this] { return machine_.snapshot(); },
                        .changed = [this] { show_changes(); },
                        .log = [this](std::string line) { log(line); },
                        .now_ms = [this] { return now_ms_; },
                    }),
      watch_([this] { show_changes(); }) {
  auto room = settings_.room;
  if (!room && settings_.follow_address) {
    room = client::room_from_query(val::global("location")["search"].as<std::string>());
  }
  if (room) initial_room_ = nfc(*room);
  if (settings_.follow_address) {
    // A shared link's passcode: the join's replaceState takes it out of the address bar.
    passcode_ = client::passcode_from_fragment(val::global("location")["hash"].as<std::string>())
                    .value_or("");
  }
  // ?iceTransportPolicy=relay: this page's calls go through the TURN relay or not at all, whatever
  // config.json says (a test, or a person checking that the relay works for them).
  if (settings_.follow_address &&
      client::query_parameter(val::global("location")["search"].as<std::string>(),
                              "iceTransportPolicy") == "relay") {
    peers_.relay_only();
  }
  name_ = settings_.name;
  media_.set_microphone(settings_.microphone_on);
  media_.set_camera(settings_.camera_on);
}

void App::start() {
  peers_.make_certificate();
  load_config();
  media_.start();
  published_ = api_state();
}

void App::use_devices(val stream) {
  bool added = false;
  for (auto& [old_track, new_track] : media_.replace_tracks(std::move(stream))) {
    if (old_track.isNull()) {
      added = true;
    } else {
      peers_.replace_track(old_track, new_track);
    }
  }
  if (added) send_media_to_peers();
  show_changes();
}

void App::share_screen(bool on) {
  // Only in a call: the lobby has nobody to show it to.
  if (on && screen_ == Screen::Room) {
    screen_share_.start();
  } else {
    screen_share_.stop();
  }
  show_changes();
}

void App::on_screen_share_changed() {
  val stream = screen_share_.stream();
  // The others learn which stream is the screen before it arrives, so its tile is the right one
  // from its first frame.
  side_.announce_screen(stream.isNull() ? std::nullopt
                                        : std::optional(stream["id"].as<std::string>()));
  for (client::PeerKey peer : peers_.share_screen(stream)) run(machine_.local_media_changed(peer));
  show_changes();
}

void App::show_remark(const std::string& text) {
  remark_ = text;
  remark_until_ms_ = now_ms_ + 8000;
  show_changes();
}

std::optional<std::string> App::send_chat(const std::string& text) {
  if (screen_ != Screen::Room) return client::tr(client::Text::kChatNobody);
  return side_.send_chat(text, val::global("Date").call<double>("now"));
}

void App::prefill_room(const std::string& room) {
  initial_room_ = nfc(room);
  ++room_version_;
  show_changes();
}

void App::prefill_name(const std::string& name) {
  name_ = client::display_name(name);
  ++name_version_;
  show_changes();
}

void App::set_display_name(const std::string& name) {
  prefill_name(name);
  // In a call, the room hears of it: the machine joins the room again with the new name, and the
  // server tells the others (participantUpdated).
  if (screen_ == Screen::Room) run(machine_.join(protocol::RoomId{room_}, name_));
}

void App::shut_down() {
  if (screen_ == Screen::Room) leave();
  screen_share_.stop();
  peers_.close_all();
  socket_.close();
  media_.stop();
}

void App::load_config() {
  // Fallback when config.json cannot be read: the signaling API beside our page (the site the
  // client came from, which for a widget is not the host page's), locally.
  val location = val::global("URL").new_(browser::host()["baseUrl"]);
  signaling_url_ =
      std::string(location["protocol"].as<std::string>() == "https:" ? "wss://" : "ws://") +
      location["host"].as<std::string>() + "/production";
  browser::host()
      .call<val>("fetch", browser::asset_url(settings_.config_url))
      .call<val>("then", once([this](val response) {
                   if (!response["ok"].as<bool>()) {
                     log("config.json: HTTP " + std::to_string(response["status"].as<int>()));
                     return config_settled();
                   }
                   response.call<val>("text").call<val>("then", once([this](val text) {
                                                          read_config(text.as<std::string>());
                                                          config_settled();
                                                        }));
                 }),
                 once([this](val) {
                   log("config.json could not be loaded");
                   config_settled();
                 }));
}

void App::read_config(const std::string& text) {
  json config = json::parse(text, nullptr, false);
  if (!config.is_object()) {
    log("config.json is not a JSON object");
    return;
  }
  if (auto url = config.find("signalingUrl"); url != config.end() && url->is_string()) {
    signaling_url_ = url->get<std::string>();
  }
  if (auto ice = config.find("iceServers"); ice != config.end() && ice->is_array()) {
    peers_.set_ice_servers(val::global("JSON").call<val>("parse", ice->dump()));
  }
  if (auto policy = config.find("iceTransportPolicy");
      policy != config.end() && *policy == "relay") {
    peers_.relay_only();
  }
  if (auto ping = config.find("pingIntervalSeconds");
      ping != config.end() && ping->is_number() && ping->get<double>() >= 1) {
    ping_interval_ms_ = ping->get<double>() * 1000;
  }
}

// The page's own settings (the element's signaling-url and ice-servers) win over config.json's.
void App::config_settled() {
  if (settings_.signaling_url) signaling_url_ = *settings_.signaling_url;
  if (settings_.ice_servers) {
    peers_.set_ice_servers(val::global("JSON").call<val>("parse", settings_.ice_servers->dump()));
  }
  log("signaling server: " + signaling_url_);
  config_loaded_ = true;
  show_changes();
  if (settings_.autojoin && !initial_room_.empty() && screen_ == Screen::Lobby) {
    if (auto problem = join(initial_room_, name_)) report_error("BAD_REQUEST", *problem, false);
  }
}

namespace {

// A server error in the person's language, told by its code (the server's message is English).
std::string server_error_text(protocol::ErrorCode code) {
  using client::Text;
  switch (code) {
    case protocol::ErrorCode::BadJson:
    case protocol::ErrorCode::BadRequest:
    case protocol::ErrorCode::UnknownAction:
      return client::tr(Text::kErrorBadRequest);
    case protocol::ErrorCode::NotInRoom:
      return client::tr(Text::kErrorNotInRoom);
    case protocol::ErrorCode::RoomFull:
      return client::tr(Text::kRoomFullText);
    case protocol::ErrorCode::MessageTooLarge:
      return client::tr(Text::kErrorTooLarge);
    case protocol::ErrorCode::PeerIdInUse:
      return client::tr(Text::kErrorPeerIdInUse);
    case protocol::ErrorCode::NameNotAllowed:
      return client::tr(Text::kNameRefusedText);
    case protocol::ErrorCode::UnknownRecipient:
      return client::tr(Text::kErrorUnknownRecipient);
    case protocol::ErrorCode::PasscodeRequired:
      return client::tr(Text::kPasscodeRequired);
    case protocol::ErrorCode::WrongPasscode:
      return client::tr(Text::kWrongPasscode);
    case protocol::ErrorCode::TooManyAttempts:
      return client::tr(Text::kTooManyAttempts);
    case protocol::ErrorCode::RoomLocked:
      return client::tr(Text::kRoomLockedText);
    case protocol::ErrorCode::InternalError:
    // (The call machine logs RATE_LIMITED rather than show it.)
    case protocol::ErrorCode::RateLimited:
      return client::tr(Text::kErrorInternal);
  }
  return client::tr(Text::kErrorInternal);
}

}  // namespace

std::optional<std::string> App::join(const std::string& typed_room, const std::string& name,
                                     const std::string& passcode) {
  // One spelling per room: the server takes ids in normalization form C, which is what most
  // keyboards and input methods produce anyway.
  const std::string room = nfc(typed_room);
  if (auto problem = client::room_id_problem(room)) return problem;
  if (auto problem = client::passcode_problem(passcode)) return problem;
  if (!config_loaded_) return client::tr(client::Text::kStillLoading);
  room_ = room;
  name_ = name;
  passcode_ = passcode;
  screen_ = Screen::Room;
  notice_.reset();
  // The machine sends joinRoom now if signaling is up, or once it is: the socket is asked for
  // first, so that its handshake runs while the rest of the join is done.
  run(machine_.join(protocol::RoomId{room_}, client::display_name(name_), passcode_));
  if (!socket_.is_open() && signaling_ != SignalingStatus::Connecting) {
    reconnect_attempt_ = 0;
    connect();
  }
  // The address bar follows the room (and drops a shared link's passcode) when the page is idle.
  if (settings_.follow_address) vc_show_address(client::room_link(page_url(), room).c_str());
  show_changes();
  return std::nullopt;
}

void App::leave() {
  run(machine_.leave());
  peers_.close_all();
  screen_share_.stop();
  side_.reset();
  watch_.reset();
  speaking_while_muted_ = false;
  run(machine_.signaling_down());
  socket_.close();
  signaling_ = SignalingStatus::Offline;
  screen_ = Screen::Lobby;
  frames_drawn_.clear();
  frozen_video_.clear();
  show_changes();
}

// The server kept us out of the room: back to the lobby, with nothing to undo on the server.
void App::back_to_lobby(Notice notice, const std::string& wire_code) {
  leave_refused();
  notice_ = std::move(notice);
  report_error(wire_code, notice_->text, true);
  show_changes();
}

void App::back_to_lobby_for_passcode(std::string why, const std::string& wire_code) {
  leave_refused();
  notice_.reset();
  report_error(wire_code, why, true);
  passcode_request_ = std::move(why);
  show_changes();
}

void App::leave_refused() {
  client::Actions local_only;
  for (auto& action : machine_.leave()) {
    if (!std::holds_alternative<client::SendToServer>(action))
      local_only.push_back(std::move(action));
  }
  run(std::move(local_only));
  peers_.close_all();
  run(machine_.signaling_down());
  socket_.close();
  signaling_ = SignalingStatus::Offline;
  screen_ = Screen::Lobby;
}

void App::connect() {
  signaling_ = SignalingStatus::Connecting;
  socket_.open(signaling_url_);
  show_changes();
}

void App::on_socket_open() {
  signaling_ = SignalingStatus::Online;
  show_changes();
  next_ping_ms_ = now_ms_ + ping_interval_ms_;
  reconnect_attempt_ = 0;
  run(machine_.signaling_up());  // joins (or resumes) the room we are in, if any
}

void App::on_socket_message(const std::string& text) {
  run(machine_.server_frame(text));
}

void App::on_socket_closed(int code, const std::string& reason) {
  log("signaling closed: " + std::to_string(code) + " " + reason);
  // The call goes on peer to peer; once back, the machine resumes our place in the room.
  run(machine_.signaling_down());
  show_changes();
  if (screen_ != Screen::Room) {
    signaling_ = SignalingStatus::Offline;
    return;
  }
  if (code == kPolicyViolation) {
    notice_ = Notice{client::tr(client::Text::kDisconnectedTitle), reason};
    report_error("POLICY_VIOLATION", reason, false);
  }
  signaling_ = SignalingStatus::Retrying;
  double jitter = val::global("Math").call<double>("random");
  reconnect_at_ms_ = now_ms_ + client::reconnect_delay_ms(reconnect_attempt_++, jitter);
}

double App::seconds_until_retry(double now_ms) const {
  return signaling_ == SignalingStatus::Retrying ? std::max(0.0, (reconnect_at_ms_ - now_ms) / 1000)
                                                 : 0.0;
}

void App::send_media_to_peers() {
  for (client::PeerKey peer : peers_.send_local_media(media_.stream())) {
    run(machine_.local_media_changed(peer));
  }
}

void App::on_media_settled() {
  send_media_to_peers();
  const auto& media = media_.status();
  if (!media.problem.empty()) {
    browser::emit("device-error", {{"message", media.problem},
                                   {"camera", media.has_camera},
                                   {"microphone", media.has_microphone}});
  }
  show_changes();
}

void App::tick(double now_ms) {
  now_ms_ = now_ms;
  if (now_ms >= next_machine_tick_ms_) {
    next_machine_tick_ms_ = now_ms + kMachineTickMs;
    run(machine_.tick(now_ms));
  }
  if (signaling_ == SignalingStatus::Retrying && now_ms >= reconnect_at_ms_) connect();
  if (signaling_ == SignalingStatus::Online && now_ms >= next_ping_ms_) {
    next_ping_ms_ = now_ms + ping_interval_ms_;
    socket_.send(protocol::to_text(protocol::Ping{}));
  }
  // The countdown to the next reconnect is on screen: it is drawn again when its second changes.
  show_changes();
  if (now_ms >= next_stats_ms_) {
    next_stats_ms_ = now_ms + kStatsIntervalMs;
    for (const auto& peer : machine_.snapshot().peers) {
      frames_drawn_[peer.key.value] = peers_.frames_presented(peer.key);
    }
    watch_for_frozen_video(now_ms);
    peers_.refresh_stats();
  }
  watch_own_voice(now_ms);
}

void App::watch_own_voice(double now_ms) {
  if (screen_ != Screen::Room) return;
  // A hand goes down by itself once its owner has had the word for a while (since raising it):
  // heard by the room, so not while muted (the statistics may still measure the microphone).
  const auto& media = media_.status();
  const double spoken = media.microphone_on ? std::min(watch_.own_speaking_for_ms(now_ms),
                                                       now_ms - side_.own_hand_raised_at_ms())
                                            : 0;
  if (side_.hand_raised() && spoken >= client::RaisedHands::kLowerAfterSpeakingMs) {
    side_.raise_hand(false);
  }
  // While muted nothing is sent: the page listens to the microphone itself, only then.
  const bool listen = media.has_microphone && !media.microphone_on;
  const double level = browser::own_voice_level(media_.stream(), listen);
  if (level >= 0) muted_voice_.observe(now_ms, level);
  const bool speaking = listen && level >= 0 && muted_voice_.speaking();
  if (!listen) muted_voice_.reset();
  if (speaking != speaking_while_muted_) {
    speaking_while_muted_ = speaking;
    show_changes();
  }
}

void App::watch_for_frozen_video(double now_ms) {
  // A hidden page draws nothing, nor does a video the browser would not autoplay: no freeze, and
  // nothing a new connection would mend.
  const bool visible = browser::page_visible();
  std::vector<client::PeerKey> frozen;
  for (const auto& peer : machine_.snapshot().peers) {
    auto drawn = frames_drawn_.find(peer.key.value);
    const double shown = drawn == frames_drawn_.end() ? 0.0 : drawn->second;
    const double decoded = peers_.stats(peer.key).video_frames_decoded;
    // -1: this browser cannot count presented frames, so it cannot tell a frozen picture.
    const bool watching = visible && shown >= 0 && peers_.video_playing(peer.key);
    if (frozen_video_[peer.key.value].observe(now_ms, decoded, shown, watching)) {
      frozen.push_back(peer.key);
    }
  }
  for (client::PeerKey key : frozen) run(machine_.video_frozen(key));
}

void App::run(client::Actions actions) {
  for (auto& action : actions) {
    std::visit(
        [this](auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, client::SendToServer>) {
            socket_.send(a.text);
          } else if constexpr (std::is_same_v<T, client::UseIceServers>) {
            peers_.use_relay(a.servers);
            relay_refusal_.reset();
          } else if constexpr (std::is_same_v<T, client::CreatePeer>) {
            peers_.create(a.peer, media_.stream());
          } else if constexpr (std::is_same_v<T, client::CreateOffer>) {
            peers_.create_offer(a.peer, a.ice_restart);
          } else if constexpr (std::is_same_v<T, client::ApplyRemoteDescription>) {
            peers_.apply_remote_description(a.peer, a.type, a.sdp);
          } else if constexpr (std::is_same_v<T, client::CreateAnswer>) {
            peers_.create_answer(a.peer);
          } else if constexpr (std::is_same_v<T, client::AddRemoteCandidate>) {
            peers_.add_remote_candidate(a.peer, a.candidate_json);
          } else if constexpr (std::is_same_v<T, client::SetSendLimits>) {
            peers_.set_send_limits(a.peer, a.max_video_bitrate_bps, a.scale_resolution_down_by);
          } else if constexpr (std::is_same_v<T, client::ClosePeer>) {
            peers_.close(a.peer);
            side_.peer_closed(a.peer);
            watch_.forget(a.peer);
            frames_drawn_.erase(a.peer.value);
            frozen_video_.erase(a.peer.value);
          } else if constexpr (std::is_same_v<T, client::ShowError>) {
            if (a.code == protocol::ErrorCode::RoomFull) {
              back_to_lobby(Notice{client::tr(client::Text::kRoomFullTitle),
                                   client::tr(client::Text::kRoomFullText)},
                            "ROOM_FULL");
            } else if (a.code == protocol::ErrorCode::RoomLocked) {
              back_to_lobby(Notice{client::tr(client::Text::kRoomLockedTitle),
                                   client::tr(client::Text::kRoomLockedText)},
                            a.wire_code);
            } else if (a.code == protocol::ErrorCode::PasscodeRequired ||
                       a.code == protocol::ErrorCode::WrongPasscode ||
                       a.code == protocol::ErrorCode::TooManyAttempts) {
              log("passcode refused: " + a.message);
              back_to_lobby_for_passcode(server_error_text(a.code), a.wire_code);
            } else if (a.code == protocol::ErrorCode::NameNotAllowed) {
              // The server's message says which character; the person reads it in their language.
              log("name refused: " + a.message);
              back_to_lobby(
                  Notice{client::tr(client::Text::kNameRefusedTitle), server_error_text(a.code)},
                  a.wire_code);
            } else {
              notice_ = Notice{client::tr(client::Text::kServerRefusedTitle),
                               server_error_text(a.code) + " (" + a.wire_code + ")"};
              report_error(a.wire_code, server_error_text(a.code), false);
            }
          } else if constexpr (std::is_same_v<T, client::RoomLockChanged>) {
            using client::Text;
            show_remark(a.by_self   ? client::tr(a.locked ? Text::kYouLockedRoom
                                                          : Text::kYouUnlockedRoom)
                        : a.by_name ? client::tr(a.locked ? Text::kMemberLockedRoom
                                                          : Text::kMemberUnlockedRoom,
                                                 *a.by_name)
                                    : client::tr(a.locked ? Text::kRoomWasLocked
                                                          : Text::kRoomWasUnlocked));
          } else if constexpr (std::is_same_v<T, client::Diagnostic>) {
            const std::string peer =
                a.peer ? " (peer " + std::to_string(a.peer->value) + ")" : std::string();
            log(std::string(client::to_string(a.code)) + peer + ": " + a.detail);
          }
        },
        action);
  }
  // Also without actions: the machine's own state (a peer's connection state) may have changed.
  show_changes();
}

std::string App::view_signature(const client::CallSnapshot& call, double now_ms) const {
  // Everything the views show, and nothing else: statistics, for one, never make a frame.
  const auto& media = media_.status();
  std::string view = std::to_string(static_cast<int>(screen_)) + '|' + room_ + '|' + name_ + '|' +
                     std::to_string(static_cast<int>(signaling_)) + '|' +
                     std::to_string(static_cast<int>(std::ceil(seconds_until_retry(now_ms)))) +
                     '|' + (config_loaded_ ? "c" : "") + (media.pending ? "p" : "") +
                     (media.has_camera ? "v" : "") + (media.has_microphone ? "a" : "") +
                     (media.camera_on ? "V" : "") + (media.microphone_on ? "A" : "") + '|' +
                     media.problem + '|' + (screen_share_.sharing() ? "S" : "") +
                     (screen_share_.pending() ? "s" : "") + (machine_.room_locked() ? "L" : "") +
                     (machine_.joined() ? "J" : "") + '|' +
                     remark(now_ms) + '|' +
                     std::to_string(side_.chat().entries().size()) + ':' +
                     std::to_string(side_.chat().unread()) + (side_.chat().open() ? "o|" : "|");
  view += std::to_string(side_.own_hand_place()) + (speaking_while_muted_ ? "m" : "") + ':' +
          std::to_string(watch_.active_speaker() ? watch_.active_speaker()->value : 0) + '|';
  if (notice_) view += notice_->title + '|' + notice_->text + '|';
  if (relay_refusal_) view += "relay refused|";
  for (const auto& peer : call.peers) {
    view += std::to_string(peer.key.value) + ':' + peer.name.value_or("") + ':' +
            std::to_string(static_cast<int>(peer.state)) + ':' +
            (side_.sharing_screen(peer.key) ? "S" : "") + (side_.can_chat(peer.key) ? "C" : "") +
            peers_.screen_element_id(peer.key) + ':' + std::to_string(side_.hand_place(peer.key)) +
            (watch_.speaking(peer.key) ? "s" : "") +
            (first_picture_.waiting(peer.key, now_ms) ? "w" : "") +
            std::to_string(static_cast<int>(watch_.quality(peer.key))) +
            watch_.safety_code(peer.key) + (watch_.safety_code_changed(peer.key) ? "!" : "") + '|';
  }
  return view;
}

void App::show_changes() {
  publish_events();
  const auto call = machine_.snapshot();
  first_picture_.observe(call.peers, now_ms_);
  std::string view = view_signature(call, now_ms_);
  if (view == shown_view_) return;
  shown_view_ = std::move(view);
  changed_();
}

client::ApiState App::api_state() const {
  const auto call = machine_.snapshot();
  const auto& media = media_.status();
  client::ApiState state;
  state.joined_room = joined_room_;
  state.own_id = call.own_peer_id;
  state.microphone_on = media.microphone_on;
  state.camera_on = media.camera_on;
  state.screen_sharing = screen_share_.sharing();
  state.hand_raised = side_.hand_raised();
  state.signaling = std::string(to_string(signaling_));
  if (!joined_room_) return state;
  for (const auto& peer : call.peers) {
    // The id that outlives a reconnect; a tutorial client has only its connection id.
    std::string id = peer.peer_id         ? *peer.peer_id
                     : peer.connection_id ? peer.connection_id->value
                                          : "peer-" + std::to_string(peer.key.value);
    state.participants.push_back(
        {std::move(id), peer.name.value_or(""), std::string(client::to_string(peer.state)),
         side_.sharing_screen(peer.key), side_.can_chat(peer.key), side_.hand_place(peer.key) > 0,
         watch_.speaking(peer.key), std::string(client::to_string(watch_.quality(peer.key)))});
  }
  return state;
}

void App::publish_events() {
  const auto call = machine_.snapshot();
  if (screen_ != Screen::Room) {
    joined_room_.reset();
  } else if (call.own_connection_id && call.room) {
    joined_room_ = call.room->value;
  }
  client::ApiState now = api_state();
  if (now == published_) return;
  // The page hears of them after this call returns (client.js queues them), so a listener that
  // calls back into the client finds it in the state the events describe.
  // The one way out of a room the client was in is leaving it (a refused join never got in).
  const auto events = client::api_events(published_, now, "left");
  published_ = std::move(now);
  for (const auto& event : events) browser::emit(event.type, event.detail);
  for (const auto& message : side_.take_new_messages()) {
    browser::emit("chat-message", chat_message_json(message));
  }
}

void App::report_error(const std::string& code, const std::string& message, bool fatal) {
  log("error " + code + ": " + message);
  browser::emit("error", {{"code", code}, {"message", message}, {"fatal", fatal}});
}

std::string App::share_link() const {
  // In a room with a passcode, the link lets the people it is sent to in with one click.
  const bool with_passcode = machine_.room_has_passcode() && !passcode_.empty();
  return client::room_link(page_url(), room_.empty() ? initial_room_ : room_,
                           with_passcode ? passcode_ : std::string());
}

void App::log(const std::string& line) const {
  val::global("console").call<void>("log", std::string("[videochat] ") + line);
}

std::string App::state_json() const {
  const auto call = machine_.snapshot();
  const auto& media = media_.status();
  json peers = json::array();
  for (const auto& peer : call.peers) {
    auto received = peers_.stats(peer.key);
    const auto* link = watch_.link(peer.key);
    auto drawn = frames_drawn_.find(peer.key.value);
    auto sent = peers_.sent(peer.key);
    peers.push_back({
        {"key", peer.key.value},
        {"connectionId", peer.connection_id ? json(peer.connection_id->value) : json(nullptr)},
        {"peerId", peer.peer_id ? json(*peer.peer_id) : json(nullptr)},
        {"name", peer.name ? json(*peer.name) : json(nullptr)},
        {"polite", peer.polite},
        {"state", client::to_string(peer.state)},
        {"negotiation", client::to_string(peer.phase)},
        {"sendLimits",
         {{"maxBitrate", sent.max_bitrate_bps}, {"scaleResolutionDownBy", sent.scale_down}}},
        {"framesDecoded", received.video_frames_decoded},
        {"framesDrawn", drawn == frames_drawn_.end() ? 0.0 : drawn->second},
        {"audioPacketsReceived", received.audio_packets_received},
        {"totalAudioEnergy", received.audio_energy},
        {"screenSharing", side_.sharing_screen(peer.key)},
        {"speaking", watch_.speaking(peer.key)},
        {"activeSpeaker", watch_.active_speaker() == peer.key},
        {"quality", client::to_string(watch_.quality(peer.key))},
        {"lossPercent", link && link->loss_percent() ? json(*link->loss_percent()) : json(nullptr)},
        {"roundTripMs", received.round_trip_ms ? json(*received.round_trip_ms) : json(nullptr)},
        {"videoCodec", received.video_codec},
        {"frameWidth", received.frame_width},
        {"frameHeight", received.frame_height},
        {"framesPerSecond", received.frames_per_second},
        {"receivedBps", watch_.received_bps(peer.key)},
        {"candidateTypes", {received.local_candidate_type, received.remote_candidate_type}},
        {"handRaised", side_.hand_place(peer.key) > 0},
        {"handPlace", side_.hand_place(peer.key)},
        {"safetyCode", watch_.safety_code(peer.key)},
        {"safetyCodeChanged", watch_.safety_code_changed(peer.key)},
        {"screenElement", peers_.screen_element_id(peer.key)},
        {"chat", side_.can_chat(peer.key)},
        {"screenSendLimits",
         {{"maxBitrate", peers_.sent_screen(peer.key).max_bitrate_bps},
          {"scaleResolutionDownBy", peers_.sent_screen(peer.key).scale_down}}},
    });
  }
  return json{
      {"screen", screen_ == Screen::Room ? "room" : "lobby"},
      {"room", call.room ? json(call.room->value) : json(nullptr)},
      {"ownConnectionId",
       call.own_connection_id ? json(call.own_connection_id->value) : json(nullptr)},
      {"peerId", call.own_peer_id},
      {"name", name_},
      {"signaling", to_string(signaling_)},
      {"configLoaded", config_loaded_},
      {"reconnectAttempts", reconnect_attempt_},
      {"media",
       {{"pending", media.pending},
        {"camera", media.has_camera},
        {"microphone", media.has_microphone},
        {"cameraOn", media.camera_on},
        {"microphoneOn", media.microphone_on},
        {"problem", media.problem}}},
      {"peers", peers},
      {"relayRefused",
       relay_refusal_ ? json{{"code", relay_refusal_->code}, {"url", relay_refusal_->url}}
                      : json(nullptr)},
      {"screenSharing", screen_share_.sharing()},
      {"handRaised", side_.hand_raised()},
      {"handPlace", side_.own_hand_place()},
      {"speaking", watch_.own_speaking()},
      {"speakingWhileMuted", speaking_while_muted_},
      {"chat", chat_json()},
      {"remark", remark(now_ms_)},
      {"roomLocked", call.locked},
      {"roomHasPasscode", call.has_passcode},
      {"notice",
       notice_ ? json{{"title", notice_->title}, {"text", notice_->text}} : json(nullptr)},
  }
      .dump();
}

}  // namespace videochat::app
