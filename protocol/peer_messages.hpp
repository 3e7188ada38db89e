// The messages two members relay to each other through sendMsgToRoom (the `message` of the frame,
// which the server does not interpret beyond splicing in "from") to set up a call: an offer,
// its answer, and ICE candidates trickled both ways, in the tutorial's JSON shapes:
//   {"type":"offer","offer":{"type":"offer","sdp":…}}
//   {"type":"answer","answer":{"type":"answer","sdp":…}}
//   {"type":"candidate","candidate":{"candidate":…,"sdpMid":…,"sdpMLineIndex":…,"usernameFragment":…}}
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "parse_result.hpp"
#include "identifiers.hpp"

namespace videochat::protocol {

enum class SdpType { Offer, Answer };
std::string_view to_string(SdpType type);  // "offer", "answer": RTCSessionDescription's names
std::optional<SdpType> parse_sdp_type(std::string_view text);

// RTCIceCandidate.toJSON(): what the other side passes to addIceCandidate().
struct IceCandidate {
  std::string candidate;  // "candidate:…" line; empty marks the end of candidates
  std::optional<std::string> sdp_mid;
  std::optional<std::uint16_t> sdp_mline_index;
  std::optional<std::string> username_fragment;

  friend bool operator==(const IceCandidate&, const IceCandidate&) = default;
};

// Candidate JSON text as the browser's toJSON() gives it; absent and null fields read alike.
Parsed<IceCandidate> parse_ice_candidate(std::string_view json_text);
// The candidate's JSON text with all four fields (null where absent), as toJSON() writes it.
std::string to_json_text(const IceCandidate& candidate);

struct Offer {
  std::string sdp;
  friend bool operator==(const Offer&, const Offer&) = default;
};
struct Answer {
  std::string sdp;
  friend bool operator==(const Answer&, const Answer&) = default;
};
struct Candidate {
  IceCandidate candidate;
  friend bool operator==(const Candidate&, const Candidate&) = default;
};
using SignalBody = std::variant<Offer, Answer, Candidate>;

// One relayed message. `from` and `fromPeer` are spliced in by our server (protocol v2), whatever
// the sender wrote; the tutorial's server relays the text unchanged, so they may be absent.
//
// `session` names the sender's RTCPeerConnection for this pair and `toSession` the receiver's, as
// far as the sender knows it: a peer that starts over with a new connection is recognised by a new
// session, and a message meant for a connection already replaced is recognised as stale. Clients
// of the tutorial's format send neither.
struct SignalMessage {
  std::optional<ConnectionId> from;
  SignalBody body;
  std::optional<std::string> from_peer;
  std::optional<std::string> session;
  std::optional<std::string> to_session;

  friend bool operator==(const SignalMessage&, const SignalMessage&) = default;
};

// The exact text to put in sendMsgToRoom's "message"; optional fields are written only when set.
std::string to_text(const SignalMessage& message);

// Parses relayed text. Unknown fields are ignored; an unknown "type" is ParseProblem::UnknownType.
Parsed<SignalMessage> parse_signal_message(std::string_view text);
// The same, for a frame already parsed as a JSON object.
Parsed<SignalMessage> signal_message_from_json(const nlohmann::json& object);

}  // namespace videochat::protocol
