#include "route_handlers.hpp"

#include <algorithm>

#include "name_policy.hpp"
#include "origin_policy.hpp"
#include "relay_message.hpp"
#include "resume_token.hpp"
#include "room_admission.hpp"
#include "room_id_policy.hpp"
#include "server_frames.hpp"
#include "unicode_text.hpp"

namespace videochat::lambdas {

using protocol::ErrorCode;
using protocol::LeaveReason;

std::string_view to_string(PostResult result) {
  switch (result) {
    case PostResult::Ok:
      return "ok";
    case PostResult::Gone:
      return "gone";
    case PostResult::Failed:
      return "failed";
  }
  return "failed";
}

namespace {

constexpr int kOk = 200;

const ConnectionId& sender_of(const WebSocketEvent& event) {
  return event.request_context.connection_id;
}

void forget_gone(HandlerServices& services, const ConnectionId& gone);

// Posts `text` to every target. A target that is gone (its $disconnect may never come, as with a
// dropped TCP connection on AWS) is removed at once and its room told, so nobody waits on a ghost.
void deliver(HandlerServices& services, std::span<const ConnectionId> targets,
             std::string_view text) {
  if (targets.empty()) return;
  thread_local std::vector<PostResult> posted;  // reused: no allocation per relayed message
  services.connections.post_to_each(targets, text, posted);
  if (std::all_of(posted.begin(), posted.end(), [](PostResult r) { return r == PostResult::Ok; })) {
    return;
  }
  // Forgetting a gone target delivers its departure notice, which reuses `posted`.
  const std::vector<PostResult> results = posted;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (results[i] == PostResult::Gone) {
      forget_gone(services, targets[i]);
    } else if (results[i] == PostResult::Failed) {
      services.log.write({{"event", "post_failed"}, {"connectionId", targets[i].value}});
    }
  }
}

void announce_departure(HandlerServices& services, const ConnectionId& who,
                        const Departure& departure, LeaveReason reason) {
  deliver(services, departure.remaining_members,
          protocol::to_text(protocol::ParticipantLeft{who, reason}));
}

void forget_gone(HandlerServices& services, const ConnectionId& gone) {
  services.log.write({{"event", "connection_gone"}, {"connectionId", gone.value}});
  // Removing before announcing bounds the recursion: a connection is forgotten at most once.
  if (auto departure = services.store.remove_connection(gone)) {
    announce_departure(services, gone, *departure, LeaveReason::Disconnected);
  }
}

// Tells the sender what was wrong with its request; nobody else is affected.
HandlerResponse reject(HandlerServices& services, const ConnectionId& sender, ErrorCode code,
                       std::string message) {
  std::string text =
      protocol::to_text(protocol::ErrorFrame{code, std::move(message), std::nullopt});
  services.connections.post(sender, text);
  return {protocol::http_status(code), std::move(text)};
}

// The same for any event: only a message's sender can be told ($connect and $disconnect have no
// one to answer), so the others just return the error.
HandlerResponse reject(HandlerServices& services, const WebSocketEvent& event, ErrorCode code,
                       std::string message) {
  if (event.request_context.event_type == EventType::Message) {
    return reject(services, sender_of(event), code, std::move(message));
  }
  return {protocol::http_status(code),
          protocol::to_text(protocol::ErrorFrame{code, std::move(message), std::nullopt})};
}

std::optional<std::string_view> header(const WebSocketEvent& event, const std::string& name) {
  auto it = event.headers.find(name);
  if (it == event.headers.end()) return std::nullopt;
  return it->second;
}

}  // namespace

HandlerResponse on_connect(const WebSocketEvent& event, HandlerServices& services) {
  const auto origin = header(event, "origin");
  auto refusal = origin_refusal(services.config.allowed_origins, origin, header(event, "host"));
  if (refusal) {
    services.log.write({{"event", "connect_refused"},
                        {"connectionId", sender_of(event).value},
                        {"reason", std::move(*refusal)},
                        {"origin", std::string(origin.value_or(""))}});
    return {403, "origin not allowed"};
  }
  services.store.add_connection(sender_of(event), event.request_context.connected_at_ms);
  return {kOk, std::nullopt};
}

HandlerResponse on_disconnect(const WebSocketEvent& event, HandlerServices& services) {
  if (auto departure = services.store.remove_connection(sender_of(event))) {
    announce_departure(services, sender_of(event), *departure, LeaveReason::Disconnected);
  }
  return {kOk, std::nullopt};
}

namespace {

// Joins, and when the peerId's holder turns out to be a connection that died without a $disconnect
// ever running (a server restarted over a DynamoDB table, a client whose token was lost), and API
// Gateway says it is gone, forgets it (its room told) and tries once more. Throws what the store
// throws: PeerIdInUseError for a live holder, RoomFullError.
JoinOutcome join_evicting_gone_holder(const protocol::JoinRoom& request, const ConnectionId& joiner,
                                      const ResumeClaim& claim, const Admission& admission,
                                      HandlerServices& services) {
  const auto join = [&] {
    return services.store.join_room(joiner, request.room, request.profile, claim, admission);
  };
  try {
    return join();
  } catch (const PeerIdInUseError& in_use) {
    if (services.connections.probe(in_use.holder) != PostResult::Gone) throw;
    services.log.write({{"event", "connection_gone"},
                        {"connectionId", in_use.holder.value},
                        {"roomId", in_use.room.value}});
    if (auto departure = services.store.evict(in_use.holder, in_use.room, in_use.peer_id)) {
      announce_departure(services, in_use.holder, *departure, LeaveReason::Disconnected);
    }
    return join();
  }
}

HandlerResponse refuse_peer_id_in_use(const PeerIdInUseError& in_use, bool had_token,
                                      const ConnectionId& sender, HandlerServices& services) {
  services.log.write({{"event", "peer_id_in_use"},
                      {"connectionId", sender.value},
                      {"roomId", in_use.room.value},
                      {"peerId", in_use.peer_id.value},
                      {"holder", in_use.holder.value},
                      {"resumeToken", had_token ? "invalid" : "missing"}});
  return reject(services, sender, ErrorCode::PeerIdInUse,
                "peerId " + in_use.peer_id.value + " is already in room '" + in_use.room.value +
                    "' on another connection; " +
                    (had_token ? "the resumeToken is not valid for this room and peerId"
                               : "send the resumeToken from its joined message to take its "
                                 "place, or use another peerId"));
}

HandlerResponse refuse_room_full(const RoomFullError& full, const ConnectionId& sender,
                                 HandlerServices& services) {
  // The store changed nothing, so nobody but the joiner is told.
  services.log.write({{"event", "room_full"},
                      {"connectionId", sender.value},
                      {"roomId", full.room.value},
                      {"capacity", full.capacity}});
  return reject(services, sender, ErrorCode::RoomFull,
                "room '" + full.room.value + "' is full (" + std::to_string(full.capacity) +
                    " people); try another room");
}

// Tells the room and the joiner what the join changed.
void announce_join(const protocol::JoinRoom& request, const ConnectionId& joiner,
                   JoinOutcome outcome, const std::string& nonce, HandlerServices& services) {
  const ParticipantProfile& profile = request.profile;
  if (outcome.left) announce_departure(services, joiner, *outcome.left, LeaveReason::Left);
  if (outcome.replaced) {
    // The store has already taken the replaced connection out of the room, so closing it (its
    // $disconnect follows) announces nothing; the others learn of the swap in one frame instead.
    const PostResult closed = services.connections.disconnect(*outcome.replaced);
    services.log.write({{"event", "participant_resumed"},
                        {"connectionId", joiner.value},
                        {"previousConnectionId", outcome.replaced->value},
                        {"roomId", request.room.value},
                        {"peerId", profile.peer_id->value},
                        {"disconnect", to_string(closed)}});
  }
  std::vector<ConnectionId> others;
  others.reserve(outcome.other_members.size());
  for (const auto& member : outcome.other_members) others.push_back(member.connection);
  if (outcome.replaced) {
    deliver(services, others,
            protocol::to_text(protocol::ParticipantResumed{*outcome.replaced, {joiner, profile}}));
  } else if (!outcome.already_member) {
    deliver(services, others, protocol::to_text(protocol::NewParticipant{{joiner, profile}}));
  } else if (outcome.profile_changed) {
    // Joining one's room again is how a member changes its name (the store kept the new profile).
    deliver(services, others, protocol::to_text(protocol::ParticipantUpdated{{joiner, profile}}));
  }
  std::optional<std::string> token;
  if (profile.peer_id) {
    const std::int64_t expires =
        services.config.clock() + services.config.resume_token_lifetime.count();
    token = resume_token(services.config.resume_secret, request.room, *profile.peer_id, nonce,
                         expires);
  }
  protocol::Joined frame{request.room, joiner, static_cast<std::uint32_t>(outcome.capacity),
                         profile, std::move(token), std::move(outcome.other_members)};
  frame.locked = outcome.gate.locked;
  frame.has_passcode = outcome.gate.passcode.has_value();
  if (services.config.turn.enabled()) {
    // The relay's log names who allocated: the peerId, or the connection of a tutorial client.
    const std::string& user = profile.peer_id ? profile.peer_id->value : joiner.value;
    frame.ice_servers.push_back(turn_ice_server(services.config.turn, user, services.config.clock()));
    // The client renews them before they expire (by joining again), on its own clock.
    frame.ice_servers_ttl = static_cast<std::uint32_t>(services.config.turn.lifetime.count());
  }
  const std::string joined = protocol::to_text(frame);
  deliver(services, std::span(&joiner, 1), joined);
}

HandlerResponse refuse_room_locked(const RoomLockedError& locked, const ConnectionId& sender,
                                   HandlerServices& services) {
  services.log.write({{"event", "room_locked_refused"},
                      {"connectionId", sender.value},
                      {"roomId", locked.room.value}});
  return reject(services, sender, ErrorCode::RoomLocked,
                "room '" + locked.room.value +
                    "' is locked: someone in it must unlock it before anyone new can join");
}

// Joins as the room's gate allows: its passcode checked first (a wrong one never reaches the
// store), its lock by the store. A joiner without a passcode just tries, as into an open room:
// only a room with a passcode (the store says its gate changed) costs it a look at the gate. A
// room that changed its passcode meanwhile (it emptied and was opened again) is looked at once
// more.
std::variant<JoinOutcome, HandlerResponse> join_through_gate(const protocol::JoinRoom& request,
                                                             const ConnectionId& joiner,
                                                             const ResumeClaim& claim,
                                                             std::string_view source_address,
                                                             HandlerServices& services) {
  for (int look = request.passcode ? 1 : 0;; ++look) {
    Admission admission;
    admission.passes_lock = claim.presented.has_value();
    if (look > 0) {
      const RoomGate gate = services.store.read_room_gate(request.room);
      auto admitted = admit(request, gate, claim, joiner, source_address, services.store,
                            services.log, services.config.clock());
      if (auto* refused = std::get_if<AdmissionRefusal>(&admitted)) {
        return reject(services, joiner, refused->code, std::move(refused->message));
      }
      admission = std::get<Admission>(std::move(admitted));
    }
    try {
      return join_evicting_gone_holder(request, joiner, claim, admission, services);
    } catch (const GateChangedError&) {
      if (look == 2) throw;  // a StoreError: INTERNAL_ERROR, try again
    }
  }
}

}  // namespace

HandlerResponse on_join_room(const protocol::JoinRoom& given, const ConnectionId& sender,
                             HandlerServices& services, std::string_view source_address) {
  // Joining is what makes a room: its id must have one spelling (room_id_policy.hpp).
  if (auto problem = room_id_unicode_problem(given.room.value)) {
    return reject(services, sender, ErrorCode::BadRequest, std::move(*problem));
  }
  // A name shown to the others cannot disguise itself, and has one spelling (name_policy.hpp).
  protocol::JoinRoom request = given;
  if (request.profile.name) {
    if (auto problem = name_unicode_problem(*request.profile.name)) {
      return reject(services, sender, ErrorCode::NameNotAllowed, std::move(*problem));
    }
    request.profile.name = normalized_name(*request.profile.name);
    if (protocol::check_name(*request.profile.name)) {
      return reject(services, sender, ErrorCode::BadRequest,
                    "name must be at most " + std::to_string(protocol::kMaxNameBytes) +
                        " bytes of UTF-8 in Unicode normalization form C (NFC)");
    }
  }
  // One passcode however it was typed: compared (and hashed) in NFC.
  if (request.passcode) request.passcode = nfc(*request.passcode).value_or(*request.passcode);
  // The token is checked before the store is asked, and only matters if the peerId turns out to
  // be in use (and then only for the member it was issued to): an invalid token on an ordinary
  // join is not an error.
  ResumeClaim claim;
  if (request.resume_token) {
    claim.presented =
        resume_token_nonce(services.config.resume_secret, request.room, *request.profile.peer_id,
                           *request.resume_token, services.config.clock());
  }
  if (request.profile.peer_id) claim.issued = new_resume_nonce();
  const ConnectionId& joiner = sender;
  std::variant<JoinOutcome, HandlerResponse> joined;
  try {
    joined = join_through_gate(request, joiner, claim, source_address, services);
  } catch (const PeerIdInUseError& in_use) {
    return refuse_peer_id_in_use(in_use, request.resume_token.has_value(), sender, services);
  } catch (const RoomFullError& full) {
    // Caught here, before dispatch turns every StoreError into INTERNAL_ERROR.
    return refuse_room_full(full, sender, services);
  } catch (const RoomLockedError& locked) {
    return refuse_room_locked(locked, sender, services);
  }
  if (auto* refused = std::get_if<HandlerResponse>(&joined)) return std::move(*refused);
  announce_join(request, joiner, std::move(std::get<JoinOutcome>(joined)), claim.issued, services);
  return {kOk, std::nullopt};
}

HandlerResponse on_send_msg_to_room(const protocol::SendMsgToRoom& request,
                                    const ConnectionId& sender, HandlerServices& services) {
  const RoomId& room_id = request.room;
  const std::string& text = request.message;
  if (text.size() > services.config.max_message_bytes) {
    return reject(services, sender, ErrorCode::MessageTooLarge,
                  "message is " + std::to_string(text.size()) + " bytes; the limit is " +
                      std::to_string(services.config.max_message_bytes));
  }
  const std::optional<ConnectionId>& recipient = request.to;

  // Per thread and reused message after message, so a relay allocates nothing for them once warm.
  thread_local RelayTargets targets;
  thread_local std::string spliced;
  if (!services.store.read_relay_targets(room_id, sender, targets)) {
    return reject(services, sender, ErrorCode::NotInRoom,
                  "you are not in room '" + room_id.value + "'; join it first");
  }
  std::span<const ConnectionId> recipients = targets.others;
  if (recipient) {
    auto found = std::find_if(recipients.begin(), recipients.end(),
                              [&](const ConnectionId& other) { return other == *recipient; });
    if (found == recipients.end()) {
      services.log.write({{"event", "unknown_recipient"},
                          {"connectionId", sender.value},
                          {"roomId", room_id.value},
                          {"to", recipient->value}});
      return reject(services, sender, ErrorCode::UnknownRecipient,
                    "'" + recipient->value + "' is not in room '" + room_id.value + "'");
    }
    recipients = std::span(&*found, 1);
  }
  // Spliced only when the message is a JSON object; any other text goes out as it came.
  switch (with_sender(text, sender, targets.sender.peer_id, spliced)) {
    case RelayKind::Spliced:
      deliver(services, recipients, spliced);
      break;
    case RelayKind::Verbatim:
      deliver(services, recipients, text);
      break;
    case RelayKind::Refused:
      return reject(services, sender, ErrorCode::BadRequest, spliced);
  }
  return {kOk, std::nullopt};
}

HandlerResponse on_leave_room(const protocol::LeaveRoom& request, const ConnectionId& sender,
                              HandlerServices& services) {
  const std::optional<RoomId>& named_room = request.room;

  const ConnectionId& leaver = sender;
  if (named_room && !services.store.relay_targets(*named_room, leaver)) {
    return reject(services, sender, ErrorCode::NotInRoom,
                  "you are not in room '" + named_room->value + "'");
  }
  auto departure = services.store.leave_room(leaver);
  if (!departure) return reject(services, sender, ErrorCode::NotInRoom, "you are not in a room");
  announce_departure(services, leaver, *departure, LeaveReason::Left);
  return {kOk, std::nullopt};
}

HandlerResponse on_ping(const protocol::Ping&, const ConnectionId& sender,
                        HandlerServices& services) {
  // Answered, so a client can tell that its signaling is alive; touches no store.
  services.connections.post(sender, protocol::to_text(protocol::Pong{}));
  return {kOk, std::nullopt};
}

HandlerResponse on_lock_room(const protocol::LockRoom& request, const ConnectionId& sender,
                             HandlerServices& services) {
  auto members = services.store.set_room_lock(request.room, sender, request.locked);
  if (!members) {
    return reject(services, sender, ErrorCode::NotInRoom,
                  "you are not in room '" + request.room.value + "'; only its members can lock it");
  }
  services.log.write({{"event", request.locked ? "room_locked" : "room_unlocked"},
                      {"connectionId", sender.value},
                      {"roomId", request.room.value}});
  deliver(services, *members,
          protocol::to_text(protocol::RoomLocked{request.room, request.locked, sender}));
  return {kOk, std::nullopt};
}

std::string_view select_route(std::string_view body) {
  return select_route(protocol::parse_client_frame(body));
}

std::string_view select_route(const protocol::ParsedClientFrame& parsed) {
  if (const auto* frame = std::get_if<protocol::ClientFrame>(&parsed)) {
    return protocol::to_string(protocol::action_of(*frame));
  }
  return route_of(std::get<protocol::ClientFrameError>(parsed));
}

std::string_view route_of(const protocol::ClientFrameError& refused) {
  return refused.action ? protocol::to_string(*refused.action) : kRouteDefault;
}

namespace {

// Runs a handler; a store failure is logged and answered as INTERNAL_ERROR (the sender of a message
// is told), so that no route leaves a client waiting on an answer that never comes.
template <class Handler, class InternalError>
HandlerResponse guarded(std::string_view route, const ConnectionId& connection,
                        const Handler& handler, HandlerServices& services,
                        const InternalError& internal_error) {
  try {
    return handler();
  } catch (const StoreError& error) {
    services.log.write({{"event", "store_error"},
                        {"route", route},
                        {"connectionId", connection.value},
                        {"error", error.what()}});
    return internal_error("the server could not complete the request; try again");
  }
}

HandlerResponse run_frame(const protocol::ClientFrame& frame, const ConnectionId& sender,
                          HandlerServices& services, std::string_view source_address) {
  return std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, protocol::JoinRoom>) {
          return on_join_room(value, sender, services, source_address);
        } else if constexpr (std::is_same_v<T, protocol::SendMsgToRoom>) {
          return on_send_msg_to_room(value, sender, services);
        } else if constexpr (std::is_same_v<T, protocol::LeaveRoom>) {
          return on_leave_room(value, sender, services);
        } else if constexpr (std::is_same_v<T, protocol::LockRoom>) {
          return on_lock_room(value, sender, services);
        } else {
          return on_ping(value, sender, services);
        }
      },
      frame);
}

// A message event: its frame, read once, to the handler of its action.
HandlerResponse handle_message(const WebSocketEvent& event, HandlerServices& services) {
  const protocol::ParsedClientFrame parsed = protocol::parse_client_frame(event.body);
  if (const auto* error = std::get_if<protocol::ClientFrameError>(&parsed)) {
    return refuse_frame(*error, sender_of(event), services);
  }
  return run_frame(std::get<protocol::ClientFrame>(parsed), sender_of(event), services,
                   event.request_context.source_ip);
}

HandlerResponse route(const WebSocketEvent& event, HandlerServices& services) {
  const std::string& key = event.request_context.route_key;
  if (key == kRouteConnect) return on_connect(event, services);
  if (key == kRouteDisconnect) return on_disconnect(event, services);
  return handle_message(event, services);
}

}  // namespace

HandlerResponse handle_frame(const protocol::ClientFrame& frame, const ConnectionId& sender,
                             HandlerServices& services, std::string_view source_address) {
  return guarded(
      protocol::to_string(protocol::action_of(frame)), sender,
      [&] { return run_frame(frame, sender, services, source_address); }, services,
      [&](std::string message) {
        return reject(services, sender, ErrorCode::InternalError, std::move(message));
      });
}

HandlerResponse refuse_frame(const protocol::ClientFrameError& error, const ConnectionId& sender,
                             HandlerServices& services) {
  return reject(services, sender, error.code, error.message);
}

HandlerResponse dispatch(const WebSocketEvent& event, HandlerServices& services) {
  const std::string& key = event.request_context.route_key;
  if (std::find(kRoutes.begin(), kRoutes.end(), key) == kRoutes.end()) {
    services.log.write({{"event", "unknown_route"}, {"route", key}});
    return {404, "no handler for route " + key};
  }
  return guarded(
      key, sender_of(event), [&] { return route(event, services); }, services,
      [&](std::string message) {
        return reject(services, event, ErrorCode::InternalError, std::move(message));
      });
}

}  // namespace videochat::lambdas
