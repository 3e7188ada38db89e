// What the call machine asks its surroundings to do. The browser adapter carries out each action
// in order: send a frame, drive an RTCPeerConnection, show an error, log a diagnostic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "call_state.hpp"
#include "error_code.hpp"
#include "peer_messages.hpp"
#include "server_frames.hpp"

namespace videochat::client {

using protocol::IceCandidate;
using protocol::SdpType;

// Send this exact frame on the WebSocket.
struct SendToServer {
  std::string text;
  friend bool operator==(const SendToServer&, const SendToServer&) = default;
};

// The relay (TURN, with credentials minted for this join) that peer connections use besides
// config.json's servers: the ones made from now on, and the ones there are at their next ICE
// restart.
struct UseIceServers {
  std::vector<protocol::IceServer> servers;
  friend bool operator==(const UseIceServers&, const UseIceServers&) = default;
};

// Make an RTCPeerConnection for `peer`, with the local media tracks and a tile for its video.
struct CreatePeer {
  PeerKey peer;
  friend bool operator==(const CreatePeer&, const CreatePeer&) = default;
};

// setLocalDescription() in the stable state (an offer), after restartIce() when `ice_restart`;
// report the result with local_description(), a failure with negotiation_failed().
struct CreateOffer {
  PeerKey peer;
  bool ice_restart = false;
  friend bool operator==(const CreateOffer&, const CreateOffer&) = default;
};

// setRemoteDescription({type, sdp}); report success with remote_description_applied().
struct ApplyRemoteDescription {
  PeerKey peer;
  SdpType type;
  std::string sdp;
  friend bool operator==(const ApplyRemoteDescription&, const ApplyRemoteDescription&) = default;
};

// createAnswer() then setLocalDescription(); report the result with local_description().
struct CreateAnswer {
  PeerKey peer;
  friend bool operator==(const CreateAnswer&, const CreateAnswer&) = default;
};

// addIceCandidate(JSON.parse(candidate_json)).
struct AddRemoteCandidate {
  PeerKey peer;
  std::string candidate_json;
  friend bool operator==(const AddRemoteCandidate&, const AddRemoteCandidate&) = default;
};

// Cap what we send to `peer`: its video encoding's maxBitrate and scaleResolutionDownBy
// (RTCRtpSender.setParameters), so that every peer's stream fits one uplink together.
struct SetSendLimits {
  PeerKey peer;
  std::uint32_t max_video_bitrate_bps = 0;
  double scale_resolution_down_by = 1;
  friend bool operator==(const SetSendLimits&, const SetSendLimits&) = default;
};

// Close the peer connection and remove its tile. The machine forgets the peer: later events for
// it are ignored.
struct ClosePeer {
  PeerKey peer;
  friend bool operator==(const ClosePeer&, const ClosePeer&) = default;
};

// Tell the person: the server refused a request.
struct ShowError {
  protocol::ErrorCode code;
  std::string message;
  std::string wire_code;  // as the server sent it, for the person and the log
  friend bool operator==(const ShowError&, const ShowError&) = default;
};

// Tell the person: a member (perhaps the person) locked or unlocked the room.
struct RoomLockChanged {
  bool locked = false;
  bool by_self = false;
  std::optional<std::string> by_name;  // the member's, when it gave one
  friend bool operator==(const RoomLockChanged&, const RoomLockChanged&) = default;
};

// Why an input was ignored. Normal in a lossy, reordering world, so it is logged, not shown.
enum class DiagnosticCode {
  MalformedFrame,                      // not JSON, not an object, or a known type with bad fields
  UnknownMessageType,                  // a "type" this client does not know
  NotInRoom,                           // a room frame arrived before join() or after leave()
  UnknownPeer,                         // an event for a peer that is closed or never existed
  DuplicateParticipant,                // newParticipant for a member we already have a peer for
  DuplicateOffer,                      // the same offer again
  UnexpectedOffer,                     // an offer while we are answering another
  GlareIgnored,                        // offers crossed and we are the impolite side: theirs waits
  StaleMessage,                        // meant for a peer connection we have since replaced
  StaleLocalDescription,               // our offer, rolled back because we gave way in glare
  NegotiationFailed,                   // the browser refused a description; the peer starts over
  NegotiationStalled,                  // an offer or answer that never came; the peer starts over
  RecipientGone,                       // UNKNOWN_RECIPIENT: a signal crossed its recipient leaving
  RateLimited,                         // RATE_LIMITED: the server dropped a message of ours
  UnexpectedAnswer,                    // an answer without a pending offer of ours
  UnexpectedLocalDescription,          // the browser produced a description we did not ask for
  UnexpectedRemoteDescriptionApplied,  // no remote description was being applied
  BadCandidate,                        // a local candidate that is not RTCIceCandidate JSON
  CandidateBufferFull,                 // too many remote candidates before the remote description
  AmbiguousSender,                     // no "from", and several peers could have sent it
  FrozenVideo,                         // a peer's video decodes but shows nothing: replaced
  MediaNotOffered,                     // local media that a tutorial-format member cannot get
};
std::string_view to_string(DiagnosticCode code);  // snake_case for logs: "duplicate_offer"

struct Diagnostic {
  DiagnosticCode code;
  std::optional<PeerKey> peer;
  std::string detail;
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

using Action =
    std::variant<SendToServer, UseIceServers, CreatePeer, CreateOffer, ApplyRemoteDescription,
                 CreateAnswer, AddRemoteCandidate, SetSendLimits, ClosePeer, ShowError,
                 RoomLockChanged, Diagnostic>;
using Actions = std::vector<Action>;

}  // namespace videochat::client
