#include "call_actions.hpp"

namespace videochat::client {

std::string_view to_string(DiagnosticCode code) {
  switch (code) {
    case DiagnosticCode::MalformedFrame:
      return "malformed_frame";
    case DiagnosticCode::UnknownMessageType:
      return "unknown_message_type";
    case DiagnosticCode::NotInRoom:
      return "not_in_room";
    case DiagnosticCode::UnknownPeer:
      return "unknown_peer";
    case DiagnosticCode::DuplicateParticipant:
      return "duplicate_participant";
    case DiagnosticCode::DuplicateOffer:
      return "duplicate_offer";
    case DiagnosticCode::UnexpectedOffer:
      return "unexpected_offer";
    case DiagnosticCode::UnexpectedAnswer:
      return "unexpected_answer";
    case DiagnosticCode::UnexpectedLocalDescription:
      return "unexpected_local_description";
    case DiagnosticCode::UnexpectedRemoteDescriptionApplied:
      return "unexpected_remote_description_applied";
    case DiagnosticCode::BadCandidate:
      return "bad_candidate";
    case DiagnosticCode::CandidateBufferFull:
      return "candidate_buffer_full";
    case DiagnosticCode::GlareIgnored:
      return "glare_ignored";
    case DiagnosticCode::StaleMessage:
      return "stale_message";
    case DiagnosticCode::StaleLocalDescription:
      return "stale_local_description";
    case DiagnosticCode::NegotiationFailed:
      return "negotiation_failed";
    case DiagnosticCode::NegotiationStalled:
      return "negotiation_stalled";
    case DiagnosticCode::RecipientGone:
      return "recipient_gone";
    case DiagnosticCode::RateLimited:
      return "rate_limited";
    case DiagnosticCode::AmbiguousSender:
      return "ambiguous_sender";
    case DiagnosticCode::FrozenVideo:
      return "frozen_video";
    case DiagnosticCode::MediaNotOffered:
      return "media_not_offered";
  }
  return "malformed_frame";
}

}  // namespace videochat::client
