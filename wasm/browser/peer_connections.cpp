#include "peer_connections.hpp"

#include <algorithm>
#include <utility>

#include "peer_data.hpp"
#include "send_limits.hpp"
#include "video_elements.hpp"

extern "C" int vc_presented_frames(const char* element_id);
extern "C" emscripten::EM_VAL vc_stats_summary(emscripten::EM_VAL report,
                                                emscripten::EM_VAL camera,
                                                emscripten::EM_VAL connection);
extern "C" bool vc_use_ice_servers(emscripten::EM_VAL connection, emscripten::EM_VAL servers);

namespace videochat::browser {

using emscripten::val;

struct PeerConnections::Peer {
  val connection = val::null();
  val element = val::null();
  std::string element_id;
  client::PeerStats stats;
  // The limits the browser has applied to the video sent (setParameters resolved): read back
  // from here, because getSenders()/getParameters() block the page on WebRTC's own thread.
  SentVideo sent;
  SentVideo sent_screen;
  // Handlers live as long as the peer: once it is closed, late events find nothing.
  std::unique_ptr<JsCallback> on_candidate;
  std::unique_ptr<JsCallback> on_track;
  std::unique_ptr<JsCallback> on_state;
  std::unique_ptr<JsCallback> on_candidate_error;
  // The data channel (chat, raise hand, which stream is a screen), and its handlers.
  val channel = val::null();
  std::unique_ptr<JsCallback> on_channel_open;
  std::unique_ptr<JsCallback> on_channel_message;
  std::unique_ptr<JsCallback> on_channel_close;
  // The streams the peer sends, by id, in the order they came; which one is its screen.
  std::vector<std::pair<std::string, val>> streams;
  std::optional<std::string> screen_stream_id;
  val screen_element = val::null();
  // The limits the call machine last set for the video sent to this peer.
  std::optional<client::SendLimits> limits;
  // setParameters refused them (parameters read just before a renegotiation changed the
  // sender's, say): they are set again with the next stats round.
  bool limits_refused = false;
  // They wait for the connection, and then for the next stats round: see apply_send_limits.
  bool limits_waiting = false;
};

namespace {

std::string error_text(const val& error) {
  if (error.isUndefined() || error.isNull()) return "unknown error";
  return error.call<std::string>("toString");
}

}  // namespace

PeerConnections::PeerConnections(PeerEvents events) : events_(std::move(events)) {}
PeerConnections::~PeerConnections() {
  close_all();
}

PeerConnections::Peer* PeerConnections::find(PeerKey peer) {
  auto it = peers_.find(peer);
  return it == peers_.end() ? nullptr : it->second.get();
}

void PeerConnections::make_certificate() {
  // A page may have wrapped RTCPeerConnection (a test, a polyfill) without its static methods.
  if (val::global("RTCPeerConnection")["generateCertificate"].typeOf().as<std::string>() !=
      "function") {
    events_.log("no certificate of our own: RTCPeerConnection.generateCertificate is missing");
    return;
  }
  val algorithm = val::object();
  algorithm.set("name", std::string("ECDSA"));
  algorithm.set("namedCurve", std::string("P-256"));
  val::global("RTCPeerConnection")
      .call<val>("generateCertificate", algorithm)
      .call<val>("then", once([this](val certificate) { certificate_ = certificate; }),
                 once([this](val error) {
                   events_.log("no certificate of our own: " + error_text(error));
                 }));
}

val PeerConnections::all_ice_servers() const {
  return ice_servers_.call<val>("concat", relay_);
}

void PeerConnections::use_relay(const std::vector<protocol::IceServer>& servers) {
  relay_ = val::array();
  for (const auto& server : servers) {
    val urls = val::array();
    for (const auto& url : server.urls) urls.call<void>("push", url);
    val entry = val::object();
    entry.set("urls", urls);
    entry.set("username", server.username);
    entry.set("credential", server.credential);
    relay_.call<void>("push", entry);
  }
  // Fresh credentials (a join after a lost connection) reach the connections there are too, for
  // their next ICE restart: the relay checks a credential only when an allocation is made.
  for (auto& [key, peer] : peers_) {
    if (!vc_use_ice_servers(peer->connection.as_handle(), all_ice_servers().as_handle())) {
      events_.log("peer " + std::to_string(key.value) + " kept its old relay credentials");
    }
  }
}

void PeerConnections::create(PeerKey key, val local_stream) {
  close(key);
  auto peer = std::make_unique<Peer>();
  val config = val::object();
  config.set("iceServers", all_ice_servers());
  // One transport for audio, video and the data channel from the first offer on: candidates are
  // gathered, signaled, added and checked once instead of once per kind (every browser bundles).
  config.set("bundlePolicy", std::string("max-bundle"));
  if (relay_only_) config.set("iceTransportPolicy", std::string("relay"));
  if (!certificate_.isNull()) {
    val certificates = val::array();
    certificates.call<void>("push", certificate_);
    config.set("certificates", certificates);
  }
  peer->connection = val::global("RTCPeerConnection").new_(config);

  val tracks = local_stream.call<val>("getTracks");
  const int count = tracks["length"].as<int>();
  bool has_audio = false, has_video = false;
  for (int i = 0; i < count; ++i) {
    val track = tracks[i];
    has_audio |= track["kind"].as<std::string>() == "audio";
    has_video |= track["kind"].as<std::string>() == "video";
    peer->connection.call<val>("addTrack", track, local_stream);
  }
  // Receive audio and video even when sending neither (no camera, or permission refused).
  auto receive_only = [&](const char* kind) {
    val init = val::object();
    init.set("direction", std::string("recvonly"));
    peer->connection.call<val>("addTransceiver", std::string(kind), init);
  };
  if (!has_audio) receive_only("audio");
  if (!has_video) receive_only("video");

  peer->element_id = "vc-peer-" + std::to_string(key.value);
  peer->element = create_video_element(peer->element_id);
  open_data_channel(key, *peer);

  peer->on_candidate = std::make_unique<JsCallback>([this, key](val event) {
    val candidate = event["candidate"];
    if (candidate.isNull() || candidate.isUndefined()) return;  // end of candidates
    std::string json =
        val::global("JSON").call<std::string>("stringify", candidate.call<val>("toJSON"));
    events_.local_candidate(key, json);
  });
  peer->on_track = std::make_unique<JsCallback>([this, key](val event) { on_track(key, event); });
  peer->on_state = std::make_unique<JsCallback>([this, key](val) {
    Peer* peer = find(key);
    if (!peer) return;
    events_.state_changed(key, peer->connection["connectionState"].as<std::string>());
  });
  peer->connection.set("onicecandidate", peer->on_candidate->function());
  peer->connection.set("ontrack", peer->on_track->function());
  // Only a relay's refusal is worth telling the person: the other candidate errors (a STUN server
  // out of reach, an interface without a route) happen on healthy calls too.
  peer->on_candidate_error = std::make_unique<JsCallback>([this, key](val event) {
    const val url = event["url"];
    const int code = event["errorCode"].isNumber() ? event["errorCode"].as<int>() : 0;
    if (!url.isString() || (code != 401 && code != 403)) return;
    std::string text = url.as<std::string>();
    if (text.starts_with("turn:") || text.starts_with("turns:")) {
      events_.relay_refused(key, code, std::move(text));
    }
  });
  peer->connection.set("onconnectionstatechange", peer->on_state->function());
  peer->connection.set("onicecandidateerror", peer->on_candidate_error->function());
  peers_[key] = std::move(peer);
}

void PeerConnections::open_data_channel(PeerKey key, Peer& peer) {
  // Negotiated (both sides make it, with the same id), so it is in the first offer and needs no
  // announcement: nothing to race, and no renegotiation later.
  val init = val::object();
  init.set("negotiated", true);
  init.set("id", 0);
  peer.channel = peer.connection.call<val>("createDataChannel", std::string("videochat"), init);
  peer.on_channel_open = std::make_unique<JsCallback>([this, key](val) { events_.data_open(key); });
  peer.on_channel_message = std::make_unique<JsCallback>([this, key](val event) {
    val data = event["data"];
    if (!data.isString()) {
      events_.log("a binary data channel message was ignored");
      return;
    }
    events_.data_message(key, data.as<std::string>());
  });
  peer.on_channel_close = std::make_unique<JsCallback>([this, key](val) {
    if (find(key)) events_.data_closed(key);
  });
  peer.channel.set("onopen", peer.on_channel_open->function());
  peer.channel.set("onmessage", peer.on_channel_message->function());
  peer.channel.set("onclose", peer.on_channel_close->function());
}

void PeerConnections::on_track(PeerKey key, val event) {
  Peer* peer = find(key);
  if (!peer) return;
  val streams = event["streams"];
  val stream = streams["length"].as<int>() > 0 ? streams[0] : val::undefined();
  if (stream.isUndefined()) {
    // A track without a stream (the sender used addTransceiver): collect it into one.
    stream = peer->element["srcObject"];
    if (stream.isNull()) stream = val::global("MediaStream").new_();
    stream.call<void>("addTrack", event["track"]);
  }
  const std::string id = stream["id"].as<std::string>();
  auto known = std::find_if(peer->streams.begin(), peer->streams.end(),
                            [&](const auto& entry) { return entry.first == id; });
  if (known == peer->streams.end()) peer->streams.emplace_back(id, stream);
  show_streams(*peer);
}

namespace {

// Plays `stream` in `element`; a refusal to play (autoplay policy) is reported.
void play(val element, val stream, const PeerEvents& events) {
  if (element["srcObject"].strictlyEquals(stream)) return;
  element.set("srcObject", stream);
  element.call<val>("play").call<val>(
      "catch", once([&events](val error) {
        events.log("remote media did not start playing: " + error_text(error));
        if (error["name"].isString() && error["name"].as<std::string>() == "NotAllowedError") {
          events.playback_blocked();
        }
      }));
}

}  // namespace

void PeerConnections::show_streams(Peer& peer) {
  val camera = val::null(), screen = val::null();
  for (const auto& [id, stream] : peer.streams) {
    if (peer.screen_stream_id == id) {
      screen = stream;
    } else if (camera.isNull()) {
      camera = stream;
    }
  }
  if (!camera.isNull()) play(peer.element, camera, events_);
  if (screen.isNull()) {
    if (!peer.screen_element.isNull()) {
      peer.screen_element.set("srcObject", val::null());
      peer.screen_element.call<void>("remove");
      peer.screen_element = val::null();
    }
    return;
  }
  if (peer.screen_element.isNull()) {
    peer.screen_element = create_video_element(peer.element_id + "-screen");
  }
  play(peer.screen_element, screen, events_);
}

void PeerConnections::set_remote_screen(PeerKey key, std::optional<std::string> stream_id) {
  Peer* peer = find(key);
  if (!peer || peer->screen_stream_id == stream_id) return;
  peer->screen_stream_id = std::move(stream_id);
  show_streams(*peer);
}

std::string PeerConnections::screen_element_id(PeerKey key) const {
  auto it = peers_.find(key);
  if (it == peers_.end() || it->second->screen_element.isNull()) return "";
  return it->second->element_id + "-screen";
}

bool PeerConnections::send_data(PeerKey key, const std::string& text) {
  Peer* peer = find(key);
  if (!peer || peer->channel["readyState"].as<std::string>() != "open") return false;
  peer->channel.call<void>("send", text);
  return true;
}

void PeerConnections::set_local_description(PeerKey key) {
  Peer* peer = find(key);
  if (!peer) return;
  // Without arguments the browser creates the offer or answer that fits the signaling state.
  peer->connection.call<val>("setLocalDescription")
      .call<val>("then", once([this, key](val) {
                   Peer* peer = find(key);
                   if (!peer) return;
                   val description = peer->connection["localDescription"];
                   // Closed meanwhile: there is nothing to report.
                   if (description.isNull() || description.isUndefined()) return;
                   std::string type = description["type"].as<std::string>();
                   events_.local_description(
                       key, type == "offer" ? protocol::SdpType::Offer : protocol::SdpType::Answer,
                       description["sdp"].as<std::string>());
                 }),
                 once([this, key](val error) {
                   if (find(key)) {
                     events_.negotiation_failed(key, "setLocalDescription: " + error_text(error));
                   }
                 }));
}

void PeerConnections::create_offer(PeerKey key, bool ice_restart) {
  Peer* peer = find(key);
  if (!peer) return;
  // New ICE credentials in the next offer: the network path is gathered and checked afresh.
  if (ice_restart) peer->connection.call<void>("restartIce");
  set_local_description(key);
}
void PeerConnections::create_answer(PeerKey key) {
  set_local_description(key);
}

void PeerConnections::apply_remote_description(PeerKey key, protocol::SdpType type,
                                               const std::string& sdp) {
  Peer* peer = find(key);
  if (!peer) return;
  val description = val::object();
  description.set("type", std::string(type == protocol::SdpType::Offer ? "offer" : "answer"));
  description.set("sdp", sdp);
  peer->connection.call<val>("setRemoteDescription", description)
      .call<val>("then", once([this, key](val) {
                   if (find(key)) events_.remote_description_applied(key);
                 }),
                 once([this, key](val error) {
                   if (find(key)) {
                     events_.negotiation_failed(key, "setRemoteDescription: " + error_text(error));
                   }
                 }));
}

void PeerConnections::set_send_limits(PeerKey key, std::uint32_t max_bitrate_bps,
                                      double scale_down) {
  Peer* peer = find(key);
  if (!peer) return;
  peer->limits = client::SendLimits{max_bitrate_bps, scale_down};
  apply_send_limits(key, *peer);
}

bool PeerConnections::is_screen_track(const val& track) const {
  if (screen_.isNull() || track.isNull()) return false;
  val tracks = screen_.call<val>("getTracks");
  for (int i = 0; i < tracks["length"].as<int>(); ++i) {
    if (tracks[i].strictlyEquals(track)) return true;
  }
  return false;
}

void PeerConnections::apply_send_limits(PeerKey key, Peer& peer) {
  if (!peer.limits) return;
  // getParameters() waits for WebRTC's signaling thread, which is busiest while the connection
  // is being set up: on two cores that wait held a join's offer back by tens of milliseconds,
  // and at the moment it connects, the first frames' by as much. Nothing is sent before the
  // connection is up, and the sender's bit rate starts low and ramps up over seconds, so the
  // limits wait for the first stats round (refresh_stats) after the connection came up.
  if (peer.connection["connectionState"].as<std::string>() != "connected") {
    peer.limits_waiting = true;
    return;
  }
  const auto split = client::split_for_screen(*peer.limits);
  const bool sharing = !screen_.isNull();
  val senders = peer.connection.call<val>("getSenders");
  const int count = senders["length"].as<int>();
  for (int i = 0; i < count; ++i) {
    val sender = senders[i];
    val track = sender["track"];
    if (track.isNull() || track["kind"].as<std::string>() != "video") continue;
    val parameters = sender.call<val>("getParameters");
    val encodings = parameters["encodings"];
    // Encodings exist once the sender is negotiated; the machine sets limits again then.
    if (encodings.isUndefined() || encodings["length"].as<int>() == 0) continue;
    const bool screen = is_screen_track(track);
    const client::SendLimits limits = screen ? client::SendLimits{split.screen_max_bitrate_bps, 1.0}
                                             : (sharing ? split.camera : *peer.limits);
    encodings[0].set("maxBitrate", limits.max_video_bitrate_bps);
    encodings[0].set("scaleResolutionDownBy", limits.scale_resolution_down_by);
    // The screen goes first when the link is short, and keeps its pixels (legible text) at the
    // cost of frames.
    encodings[0].set("priority", std::string(screen ? "high" : "low"));
    encodings[0].set("networkPriority", std::string(screen ? "high" : "low"));
    if (screen) parameters.set("degradationPreference", std::string("maintain-resolution"));
    const SentVideo applied{static_cast<double>(limits.max_video_bitrate_bps),
                            limits.scale_resolution_down_by};
    sender.call<val>("setParameters", parameters)
        .call<val>("then", once([this, key, applied, screen](val) {
                     Peer* applied_to = find(key);
                     if (!applied_to) return;
                     (screen ? applied_to->sent_screen : applied_to->sent) = applied;
                   }),
                   once([this, key](val error) {
                     events_.log("video send limits not applied (tried again shortly): " +
                                 error_text(error));
                     if (Peer* refused = find(key)) refused->limits_refused = true;
                   }));
  }
}

void PeerConnections::add_remote_candidate(PeerKey key, const std::string& candidate_json) {
  Peer* peer = find(key);
  if (!peer) return;
  val candidate = val::global("JSON").call<val>("parse", candidate_json);
  peer->connection.call<val>("addIceCandidate", candidate)
      .call<val>("catch", once([this](val error) {
                   events_.log("a remote ICE candidate was refused: " + error_text(error));
                 }));
}

void PeerConnections::close(PeerKey key) {
  auto it = peers_.find(key);
  if (it == peers_.end()) return;
  Peer& peer = *it->second;
  peer.connection.set("onicecandidate", val::null());
  peer.connection.set("ontrack", val::null());
  peer.connection.set("onconnectionstatechange", val::null());
  peer.connection.set("onicecandidateerror", val::null());
  peer.channel.set("onopen", val::null());
  peer.channel.set("onmessage", val::null());
  peer.channel.set("onclose", val::null());
  peer.connection.call<void>("close");
  peer.element.set("srcObject", val::null());
  peer.element.call<void>("remove");
  if (!peer.screen_element.isNull()) {
    peer.screen_element.set("srcObject", val::null());
    peer.screen_element.call<void>("remove");
  }
  peers_.erase(it);
}

void PeerConnections::replace_track(val track, val replacement) {
  for (auto& [key, peer] : peers_) {
    val senders = peer->connection.call<val>("getSenders");
    const int count = senders["length"].as<int>();
    for (int i = 0; i < count; ++i) {
      val sender = senders[i];
      if (!sender["track"].strictlyEquals(track)) continue;
      sender.call<val>("replaceTrack", replacement)
          .call<val>("catch", once([this](val error) {
                       events_.log("another device could not be sent: " + error_text(error));
                     }));
    }
  }
}

void PeerConnections::close_all() {
  while (!peers_.empty()) close(peers_.begin()->first);
}

std::string PeerConnections::video_element_id(PeerKey key) const {
  auto it = peers_.find(key);
  return it == peers_.end() ? std::string() : it->second->element_id;
}

client::PeerStats PeerConnections::stats(PeerKey key) const {
  auto it = peers_.find(key);
  return it == peers_.end() ? client::PeerStats{} : it->second->stats;
}

bool PeerConnections::video_playing(PeerKey key) const {
  auto it = peers_.find(key);
  return it != peers_.end() && !it->second->element["paused"].as<bool>();
}

SentVideo PeerConnections::sent(PeerKey key) const {
  auto it = peers_.find(key);
  return it == peers_.end() ? SentVideo{} : it->second->sent;
}

SentVideo PeerConnections::sent_screen(PeerKey key) const {
  auto it = peers_.find(key);
  return it == peers_.end() ? SentVideo{} : it->second->sent_screen;
}

double PeerConnections::frames_presented(PeerKey key) const {
  auto it = peers_.find(key);
  return it == peers_.end() ? -1 : vc_presented_frames(it->second->element_id.c_str());
}

namespace {

// Sends `track` on the connection; true when that needs a new offer (a new transceiver, or one
// that only received so far). A transceiver of the track's kind with no track of its own is
// reused, preferring one already in the negotiated session, so that no m-line is added for it.
bool send_track(val connection, val track, val stream,
                const std::function<void(std::string)>& log) {
  const std::string kind = track["kind"].as<std::string>();
  val transceivers = connection.call<val>("getTransceivers");
  val free = val::null();
  const int count = transceivers["length"].as<int>();
  for (int i = 0; i < count; ++i) {
    val transceiver = transceivers[i];
    if (transceiver["stopped"].as<bool>() ||
        transceiver["receiver"]["track"]["kind"].as<std::string>() != kind) {
      continue;
    }
    val sender_track = transceiver["sender"]["track"];
    if (!sender_track.isNull() && sender_track.strictlyEquals(track)) return false;  // sent already
    if (!sender_track.isNull()) continue;
    if (free.isNull() || (free["mid"].isNull() && !transceiver["mid"].isNull())) free = transceiver;
  }
  if (free.isNull()) {
    connection.call<val>("addTrack", track, stream);
    return true;
  }
  val sender = free["sender"];
  sender.call<val>("replaceTrack", track).call<val>("catch", once([log](val error) {
                                                      log("a local track could not be sent: " +
                                                          error_text(error));
                                                    }));
  // The stream id travels in the SDP, so the other side's ontrack sees the tracks together.
  if (!sender["setStreams"].isUndefined()) sender.call<void>("setStreams", stream);
  const std::string direction = free["direction"].as<std::string>();
  if (direction == "recvonly") free.set("direction", std::string("sendrecv"));
  if (direction == "inactive") free.set("direction", std::string("sendonly"));
  return direction == "recvonly" || direction == "inactive";
}

}  // namespace

std::vector<PeerKey> PeerConnections::send_local_media(val local_stream) {
  std::vector<PeerKey> renegotiate;
  val tracks = local_stream.call<val>("getTracks");
  const int count = tracks["length"].as<int>();
  for (auto& [key, peer] : peers_) {
    bool needs_offer = false;
    for (int i = 0; i < count; ++i) {
      needs_offer |= send_track(peer->connection, tracks[i], local_stream, events_.log);
    }
    if (needs_offer) renegotiate.push_back(key);
  }
  return renegotiate;
}

std::vector<PeerKey> PeerConnections::share_screen(val screen) {
  std::vector<PeerKey> renegotiate;
  if (screen.isNull()) {
    for (auto& [key, peer] : peers_) {
      val senders = peer->connection.call<val>("getSenders");
      bool removed = false;
      for (int i = 0; i < senders["length"].as<int>(); ++i) {
        if (!is_screen_track(senders[i]["track"])) continue;
        peer->connection.call<void>("removeTrack", senders[i]);
        removed = true;
      }
      if (removed) renegotiate.push_back(key);
    }
    screen_ = val::null();
  } else {
    screen_ = screen;
    for (auto& [key, peer] : peers_) {
      if (send_screen_to(key)) renegotiate.push_back(key);
    }
  }
  for (auto& [key, peer] : peers_) apply_send_limits(key, *peer);
  return renegotiate;
}

bool PeerConnections::send_screen_to(PeerKey key) {
  Peer* peer = find(key);
  if (!peer || screen_.isNull()) return false;
  val tracks = screen_.call<val>("getTracks");
  bool needs_offer = false;
  for (int i = 0; i < tracks["length"].as<int>(); ++i) {
    needs_offer |= send_track(peer->connection, tracks[i], screen_, events_.log);
  }
  apply_send_limits(key, *peer);
  return needs_offer;
}

void PeerConnections::refresh_stats() {
  for (auto& [key, peer] : peers_) {
    PeerKey peer_key = key;
    // A connection still being set up has nothing to report yet, and its statistics would be
    // gathered by the thread that sets it up.
    const std::string state = peer->connection["connectionState"].as<std::string>();
    if (state == "new" || state == "connecting") continue;
    // Both flags taken: with both set, the limits are applied once, not again next round.
    const bool refused = std::exchange(peer->limits_refused, false);
    const bool waiting = std::exchange(peer->limits_waiting, false);
    if (refused || waiting) apply_send_limits(key, *peer);
    peer->connection.call<val>("getStats")
        .call<val>("then", once([this, peer_key](val report) {
                     Peer* peer = find(peer_key);
                     if (!peer) return;
                     val summary = val::take_ownership(
                         vc_stats_summary(report.as_handle(), peer->element.as_handle(),
                                          peer->connection.as_handle()));
                     peer->stats = client::parse_peer_stats(summary.as<std::string>());
                     events_.stats(peer_key, peer->stats);
                   }));
  }
}

}  // namespace videochat::browser
