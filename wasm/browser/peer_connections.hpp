// The RTCPeerConnections of a call, one per remote peer, carrying out the call machine's actions
// and reporting what the browser did back as events. Each peer's media plays in a hidden <video>
// element (its audio is heard from there), which the UI places under its canvas; a screen the peer
// shares plays in a second one. Each connection carries one data channel (chat, raise hand, which
// stream is a screen: protocol/peer_data.hpp), negotiated with the first offer.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "call_state.hpp"
#include "js_callback.hpp"
#include "peer_messages.hpp"
#include "peer_stats.hpp"
#include "server_frames.hpp"

namespace videochat::browser {

using client::PeerKey;

struct PeerEvents {
  std::function<void(PeerKey, protocol::SdpType, std::string sdp)> local_description;
  std::function<void(PeerKey, std::string candidate_json)> local_candidate;
  std::function<void(PeerKey)> remote_description_applied;
  std::function<void(PeerKey, std::string why)> negotiation_failed;
  std::function<void(PeerKey, std::string connection_state)> state_changed;
  std::function<void(std::string)> log;
  // The browser would not play a peer's sound before the person clicked or typed in the page
  // (autoplay policy): the page can offer a button that calls startAudio().
  std::function<void()> playback_blocked;
  // The peer's data channel opened (the peer may still not speak our messages: see Hello), got a
  // message, or closed.
  std::function<void(PeerKey)> data_open;
  std::function<void(PeerKey, std::string text)> data_message;
  std::function<void(PeerKey)> data_closed;
  // A peer's statistics arrived (refresh_stats), the counters grown since the last ones.
  std::function<void(PeerKey, const client::PeerStats&)> stats;
  // A TURN relay refused this page's credentials (STUN 401 Unauthorized or 403 Forbidden, as the
  // browser's icecandidateerror reports them) while gathering for the peer's connection.
  std::function<void(PeerKey, int code, std::string url)> relay_refused;
};

// The encoding parameters of the video we send a peer, as the browser last accepted them
// (RTCRtpSender.setParameters resolved; 0 when nothing is sent or no limit is set yet).
struct SentVideo {
  double max_bitrate_bps = 0;
  double scale_down = 0;
};

class PeerConnections final {
 public:
  explicit PeerConnections(PeerEvents events);
  ~PeerConnections();

  // config.json's (or the element's) servers.
  void set_ice_servers(emscripten::val ice_servers) { ice_servers_ = std::move(ice_servers); }
  // Only relayed candidates (config.json's `iceTransportPolicy: "relay"`): proves the relay path,
  // and hides the page's addresses from the others.
  void relay_only() { relay_only_ = true; }
  bool relays_only() const { return relay_only_; }
  // The relay the server gave with `joined`, used besides them.
  void use_relay(const std::vector<protocol::IceServer>& servers);
  // One DTLS certificate for every connection this page makes (RTCPeerConnection's own would be
  // new each time): a connection rebuilt after trouble keeps its safety code, so a changed code
  // means a changed page or somebody in between. Made once, at start; connections made before it
  // is ready use the browser's.
  void make_certificate();

  // A connection sending the camera and microphone (`local_stream`). A screen being shared goes to
  // it once its data channel is open (send_screen_to), when the other side can tell which stream
  // is the screen, and the first exchange is over, whoever made the first offer.
  void create(PeerKey peer, emscripten::val local_stream);
  void create_offer(PeerKey peer, bool ice_restart);
  void create_answer(PeerKey peer);
  void apply_remote_description(PeerKey peer, protocol::SdpType type, const std::string& sdp);
  void add_remote_candidate(PeerKey peer, const std::string& candidate_json);
  void set_send_limits(PeerKey peer, std::uint32_t max_bitrate_bps, double scale_down);
  void close(PeerKey peer);
  void close_all();
  // Every peer gets `replacement` where it got `track` (another camera or microphone): no
  // renegotiation.
  void replace_track(emscripten::val track, emscripten::val replacement);

  // The <video> element a peer's media plays in, or "" when there is no such peer.
  std::string video_element_id(PeerKey peer) const;
  // What getStats() last said of the connection (all zero before its first report).
  client::PeerStats stats(PeerKey peer) const;
  // Whether the peer's <video> element is playing (not paused, say because the browser refused
  // to autoplay it): only then can its frames be expected on screen.
  bool video_playing(PeerKey peer) const;
  SentVideo sent(PeerKey peer) const;
  SentVideo sent_screen(PeerKey peer) const;
  // The frames the peer's <video> element has presented (sampled about once per call; see
  // vc_presented_frames in bridge.js), or -1 when the browser cannot tell.
  double frames_presented(PeerKey peer) const;
  // The camera or microphone arrived (or changed) after these connections were made: each
  // connection sends the new tracks, on a transceiver of their kind where one is free. Returns the
  // peers whose connections must be negotiated again for the other side to receive them.
  std::vector<PeerKey> send_local_media(emscripten::val local_stream);
  // Asks every peer connection for fresh statistics (answered asynchronously).
  void refresh_stats();

  // Sends `text` on the peer's data channel; false when it is not open.
  bool send_data(PeerKey peer, const std::string& text);
  // Sends the tracks of `screen` (getDisplayMedia's stream) to every peer (and to later ones, see
  // send_screen_to); or, with null, stops sending them. Returns the peers whose connections must be
  // negotiated again.
  std::vector<PeerKey> share_screen(emscripten::val screen);
  // Sends the shared screen, if any, to one peer; true when that needs a new offer.
  bool send_screen_to(PeerKey peer);
  // Which of the streams the peer sends is its screen (it said so on the data channel), or none.
  void set_remote_screen(PeerKey peer, std::optional<std::string> stream_id);
  // The <video> element the peer's shared screen plays in, or "" while it shares none.
  std::string screen_element_id(PeerKey peer) const;

 private:
  struct Peer;
  Peer* find(PeerKey peer);
  void set_local_description(PeerKey peer);
  void open_data_channel(PeerKey key, Peer& peer);
  void on_track(PeerKey key, emscripten::val event);
  // Plays each stream the peer sends in its element: the screen it named in the screen one, the
  // first other stream (its camera and microphone) in the peer's own.
  void show_streams(Peer& peer);
  bool is_screen_track(const emscripten::val& track) const;
  // The machine's limits for the peer, split between camera and screen while one is shared.
  void apply_send_limits(PeerKey key, Peer& peer);

  // config.json's servers and the relay's, as RTCPeerConnection takes them.
  emscripten::val all_ice_servers() const;

  PeerEvents events_;
  emscripten::val ice_servers_ = emscripten::val::array();
  emscripten::val relay_ = emscripten::val::array();
  bool relay_only_ = false;
  emscripten::val certificate_ = emscripten::val::null();
  std::map<PeerKey, std::unique_ptr<Peer>> peers_;
  emscripten::val screen_ = emscripten::val::null();  // the screen we share, or null
};

}  // namespace videochat::browser
