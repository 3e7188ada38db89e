#include "route_handlers.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "relay_message.hpp"
#include "resume_token.hpp"

namespace videochat::lambdas {

using nlohmann::json;
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
constexpr int kBadRequest = 400;
// A `to` that names nobody in the room: the request is well formed, its recipient is not there.
constexpr int kNotFound = 404;
// A full room, or a peerId in use, is not a malformed request (400) nor a matter of permission
// (403): the request conflicts with the room's current state, and may succeed once it changes.
constexpr int kConflict = 409;

const ConnectionId& sender_of(const WebSocketEvent& event) {
  return event.request_context.connection_id;
}

void forget_gone(HandlerServices& services, const ConnectionId& gone);

// Posts `text` to every target. A target that is gone (its $disconnect may never come, as with a
// dropped TCP connection on AWS) is removed at once and its room told, so nobody waits on a ghost.
void deliver(HandlerServices& services, std::span<const ConnectionId> targets,
             std::string_view text) {
  if (targets.empty()) return;
  auto results = services.connections.post_to_each(targets, text);
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
  deliver(services, departure.remaining_members, protocol::participant_left_message(who, reason));
}

void forget_gone(HandlerServices& services, const ConnectionId& gone) {
  services.log.write({{"event", "connection_gone"}, {"connectionId", gone.value}});
  // Removing before announcing bounds the recursion: a connection is forgotten at most once.
  if (auto departure = services.store.remove_connection(gone)) {
    announce_departure(services, gone, *departure, LeaveReason::Disconnected);
  }
}

// Tells the sender what was wrong with its request; nobody else is affected.
HandlerResponse reject(HandlerServices& services, const WebSocketEvent& event, ErrorCode code,
                       std::string_view message, int status = kBadRequest) {
  std::string text = protocol::error_message(code, message);
  if (event.request_context.event_type == EventType::Message) {
    services.connections.post(sender_of(event), text);
  }
  return {status, std::move(text)};
}

// The body of a MESSAGE event as a JSON object, or the rejection already sent. Shared rather than
// copied when the event arrives with its body parsed.
using ParsedBody = std::shared_ptr<const json>;
std::variant<ParsedBody, HandlerResponse> parse_body(const WebSocketEvent& event,
                                                     HandlerServices& services) {
  ParsedBody body = event.parsed_body;
  if (!body) {
    body = std::make_shared<const json>(
        json::parse(event.body, nullptr, /*allow_exceptions=*/false));
  }
  if (body->is_discarded()) {
    return reject(services, event, ErrorCode::BadJson, "the message is not valid JSON");
  }
  if (!body->is_object()) {
    return reject(services, event, ErrorCode::BadRequest, "the message must be a JSON object");
  }
  return body;
}

// A room id field: absent (when optional), or a valid id; anything else is rejected.
std::variant<std::optional<RoomId>, HandlerResponse> room_id_field(const json& body,
                                                                   const WebSocketEvent& event,
                                                                   HandlerServices& services,
                                                                   bool required) {
  auto it = body.find("roomId");
  if (it == body.end()) {
    if (!required) return std::optional<RoomId>{};
    return reject(services, event, ErrorCode::BadRequest, "roomId is required");
  }
  if (!it->is_string()) {
    return reject(services, event, ErrorCode::BadRequest, "roomId must be a string");
  }
  auto room = protocol::parse_room_id(it->get_ref<const std::string&>());
  if (!room) {
    return reject(services, event, ErrorCode::BadRequest,
                  "roomId must be 1 to 64 characters of A-Z a-z 0-9 _ -");
  }
  return room;
}

// An optional string field: absent, or a string; anything else is rejected.
std::variant<const std::string*, HandlerResponse> optional_string_field(
    const json& body, std::string_view name, const WebSocketEvent& event, HandlerServices& services,
    std::string_view what_it_is) {
  auto it = body.find(name);
  if (it == body.end()) return static_cast<const std::string*>(nullptr);
  if (!it->is_string()) {
    return reject(services, event, ErrorCode::BadRequest,
                  std::string(name) + " must be " + std::string(what_it_is));
  }
  return &it->get_ref<const std::string&>();
}

// joinRoom's v2 fields, validated: the joiner's profile and the resume token it presents.
struct JoinRequest {
  ParticipantProfile profile;
  const std::string* resume_token = nullptr;
};

std::variant<JoinRequest, HandlerResponse> join_fields(const json& body,
                                                       const WebSocketEvent& event,
                                                       HandlerServices& services) {
  JoinRequest request;
  auto peer = optional_string_field(body, "peerId", event, services,
                                    "a string of 32 lowercase hex characters");
  if (auto* rejected = std::get_if<HandlerResponse>(&peer)) return *rejected;
  if (const std::string* text = std::get<const std::string*>(peer)) {
    request.profile.peer_id = protocol::parse_peer_id(*text);
    if (!request.profile.peer_id) {
      return reject(services, event, ErrorCode::BadRequest,
                    "peerId must be 32 lowercase hex characters (a random 128-bit id)");
    }
  }
  auto name = optional_string_field(body, "name", event, services, "a string");
  if (auto* rejected = std::get_if<HandlerResponse>(&name)) return *rejected;
  if (const std::string* text = std::get<const std::string*>(name)) {
    if (auto problem = protocol::check_name(*text)) {
      return reject(services, event, ErrorCode::BadRequest, protocol::describe(*problem));
    }
    request.profile.name = *text;
  }
  auto token = optional_string_field(body, "resumeToken", event, services, "a string");
  if (auto* rejected = std::get_if<HandlerResponse>(&token)) return *rejected;
  request.resume_token = std::get<const std::string*>(token);
  if (request.resume_token && !request.profile.peer_id) {
    return reject(services, event, ErrorCode::BadRequest,
                  "resumeToken needs the peerId it was issued for");
  }
  return request;
}

bool origin_allowed(const WebSocketEvent& event, const HandlerConfig& config) {
  if (config.allowed_origins.empty()) return true;
  auto it = event.headers.find("origin");
  if (it == event.headers.end()) return false;
  return std::find(config.allowed_origins.begin(), config.allowed_origins.end(), it->second) !=
         config.allowed_origins.end();
}

}  // namespace

HandlerResponse on_connect(const WebSocketEvent& event, HandlerServices& services) {
  if (!origin_allowed(event, services.config)) {
    auto origin = event.headers.find("origin");
    services.log.write({{"event", "connect_refused"},
                        {"connectionId", sender_of(event).value},
                        {"reason", "origin not allowed"},
                        {"origin", origin == event.headers.end() ? "" : origin->second}});
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

HandlerResponse on_default(const WebSocketEvent& event, HandlerServices& services) {
  auto body = parse_body(event, services);
  if (auto* rejected = std::get_if<HandlerResponse>(&body)) return *rejected;
  const json& object = *std::get<ParsedBody>(body);
  auto action = object.find("action");
  if (action == object.end()) {
    return reject(services, event, ErrorCode::BadRequest, "action is required");
  }
  if (!action->is_string()) {
    return reject(services, event, ErrorCode::BadRequest, "action must be a string");
  }
  return reject(services, event, ErrorCode::UnknownAction,
                "unknown action '" + action->get<std::string>() +
                    "'; expected joinRoom, sendMsgToRoom, leaveRoom or ping");
}

HandlerResponse on_join_room(const WebSocketEvent& event, HandlerServices& services) {
  auto body = parse_body(event, services);
  if (auto* rejected = std::get_if<HandlerResponse>(&body)) return *rejected;
  const json& object = *std::get<ParsedBody>(body);
  auto room = room_id_field(object, event, services, /*required=*/true);
  if (auto* rejected = std::get_if<HandlerResponse>(&room)) return *rejected;
  const RoomId& room_id = *std::get<std::optional<RoomId>>(room);
  auto fields = join_fields(object, event, services);
  if (auto* rejected = std::get_if<HandlerResponse>(&fields)) return *rejected;
  const JoinRequest& request = std::get<JoinRequest>(fields);
  const ParticipantProfile& profile = request.profile;

  // The token is checked before the store is asked, and only matters if the peerId turns out to
  // be in use: an invalid token on an ordinary join is not an error.
  const bool token_valid =
      request.resume_token && is_valid_resume_token(services.config.resume_secret, room_id,
                                                    *profile.peer_id, *request.resume_token);
  const ConnectionId& joiner = sender_of(event);
  const auto join = [&] {
    return services.store.join_room(
        joiner, room_id, profile, token_valid ? OnPeerIdInUse::Replace : OnPeerIdInUse::Refuse);
  };
  JoinOutcome outcome;
  try {
    try {
      outcome = join();
    } catch (const PeerIdInUseError& in_use) {
      // The holder may be a connection that died without a $disconnect ever running (a server
      // restarted over a DynamoDB table, a client whose token was lost): when API Gateway says it
      // is gone, it is forgotten (its room told) and the join tried once more.
      if (services.connections.probe(in_use.holder) != PostResult::Gone) throw;
      services.log.write({{"event", "connection_gone"},
                          {"connectionId", in_use.holder.value},
                          {"roomId", in_use.room.value}});
      if (auto departure = services.store.evict(in_use.holder, in_use.room, in_use.peer_id)) {
        announce_departure(services, in_use.holder, *departure, LeaveReason::Disconnected);
      }
      outcome = join();
    }
  } catch (const PeerIdInUseError& in_use) {
    const bool had_token = request.resume_token != nullptr;
    services.log.write({{"event", "peer_id_in_use"},
                        {"connectionId", joiner.value},
                        {"roomId", in_use.room.value},
                        {"peerId", in_use.peer_id.value},
                        {"holder", in_use.holder.value},
                        {"resumeToken", had_token ? "invalid" : "missing"}});
    return reject(services, event, ErrorCode::PeerIdInUse,
                  "peerId " + in_use.peer_id.value + " is already in room '" + in_use.room.value +
                      "' on another connection; " +
                      (had_token ? "the resumeToken is not valid for this room and peerId"
                                 : "send the resumeToken from its joined message to take its "
                                   "place, or use another peerId"),
                  kConflict);
  } catch (const RoomFullError& full) {
    // Caught here, before dispatch turns every StoreError into INTERNAL_ERROR. The store changed
    // nothing, so nobody but the joiner is told.
    services.log.write({{"event", "room_full"},
                        {"connectionId", joiner.value},
                        {"roomId", full.room.value},
                        {"capacity", full.capacity}});
    return reject(services, event, ErrorCode::RoomFull,
                  "room '" + full.room.value + "' is full (" + std::to_string(full.capacity) +
                      " people); try another room",
                  kConflict);
  }
  if (outcome.left) announce_departure(services, joiner, *outcome.left, LeaveReason::Left);
  if (outcome.replaced) {
    // The store has already taken the replaced connection out of the room, so closing it (its
    // $disconnect follows) announces nothing; the others learn of the swap in one frame instead.
    const PostResult closed = services.connections.disconnect(*outcome.replaced);
    services.log.write({{"event", "participant_resumed"},
                        {"connectionId", joiner.value},
                        {"previousConnectionId", outcome.replaced->value},
                        {"roomId", room_id.value},
                        {"peerId", profile.peer_id->value},
                        {"disconnect", to_string(closed)}});
  }
  std::vector<ConnectionId> others;
  others.reserve(outcome.other_members.size());
  for (const auto& member : outcome.other_members) others.push_back(member.connection);
  if (outcome.replaced) {
    deliver(services, others,
            protocol::participant_resumed_message(*outcome.replaced, joiner, profile));
  } else if (!outcome.already_member) {
    deliver(services, others, protocol::new_participant_message(joiner, profile));
  }
  std::optional<std::string> token;
  if (profile.peer_id) {
    token = resume_token(services.config.resume_secret, room_id, *profile.peer_id);
  }
  const std::string joined = protocol::joined_message(
      {room_id, joiner, outcome.capacity, profile,
       token ? std::optional<std::string_view>(*token) : std::nullopt, outcome.other_members});
  deliver(services, std::span(&joiner, 1), joined);
  return {kOk, std::nullopt};
}

HandlerResponse on_send_msg_to_room(const WebSocketEvent& event, HandlerServices& services) {
  auto body = parse_body(event, services);
  if (auto* rejected = std::get_if<HandlerResponse>(&body)) return *rejected;
  const json& object = *std::get<ParsedBody>(body);
  auto room = room_id_field(object, event, services, /*required=*/true);
  if (auto* rejected = std::get_if<HandlerResponse>(&room)) return *rejected;
  const RoomId& room_id = *std::get<std::optional<RoomId>>(room);

  auto message = object.find("message");
  if (message == object.end()) {
    return reject(services, event, ErrorCode::BadRequest, "message is required");
  }
  if (!message->is_string()) {
    return reject(services, event, ErrorCode::BadRequest, "message must be a string");
  }
  const std::string& text = message->get_ref<const std::string&>();
  if (text.size() > services.config.max_message_bytes) {
    return reject(services, event, ErrorCode::MessageTooLarge,
                  "message is " + std::to_string(text.size()) + " bytes; the limit is " +
                      std::to_string(services.config.max_message_bytes));
  }

  auto to = optional_string_field(object, "to", event, services, "a connection id string");
  if (auto* rejected = std::get_if<HandlerResponse>(&to)) return *rejected;
  const std::string* recipient = std::get<const std::string*>(to);

  const ConnectionId& sender = sender_of(event);
  auto targets = services.store.relay_targets(room_id, sender);
  if (!targets) {
    return reject(services, event, ErrorCode::NotInRoom,
                  "you are not in room '" + room_id.value + "'; join it first");
  }
  std::span<const ConnectionId> recipients = targets->others;
  if (recipient) {
    auto found = std::find_if(recipients.begin(), recipients.end(),
                              [&](const ConnectionId& other) { return other.value == *recipient; });
    if (found == recipients.end()) {
      services.log.write({{"event", "unknown_recipient"},
                          {"connectionId", sender.value},
                          {"roomId", room_id.value},
                          {"to", *recipient}});
      return reject(services, event, ErrorCode::UnknownRecipient,
                    "'" + *recipient + "' is not in room '" + room_id.value + "'", kNotFound);
    }
    recipients = std::span(&*found, 1);
  }
  // Spliced only when the message is a JSON object; any other text goes out as it came.
  RelayText relayed = with_sender(text, sender, targets->sender.peer_id);
  switch (relayed.kind) {
    case RelayText::Kind::Spliced:
      deliver(services, recipients, relayed.text);
      break;
    case RelayText::Kind::Verbatim:
      deliver(services, recipients, text);
      break;
    case RelayText::Kind::Refused:
      return reject(services, event, ErrorCode::BadRequest, relayed.text);
  }
  return {kOk, std::nullopt};
}

HandlerResponse on_leave_room(const WebSocketEvent& event, HandlerServices& services) {
  auto body = parse_body(event, services);
  if (auto* rejected = std::get_if<HandlerResponse>(&body)) return *rejected;
  auto room = room_id_field(*std::get<ParsedBody>(body), event, services, /*required=*/false);
  if (auto* rejected = std::get_if<HandlerResponse>(&room)) return *rejected;
  const auto& named_room = std::get<std::optional<RoomId>>(room);

  const ConnectionId& leaver = sender_of(event);
  if (named_room && !services.store.relay_targets(*named_room, leaver)) {
    return reject(services, event, ErrorCode::NotInRoom,
                  "you are not in room '" + named_room->value + "'");
  }
  auto departure = services.store.leave_room(leaver);
  if (!departure) return reject(services, event, ErrorCode::NotInRoom, "you are not in a room");
  announce_departure(services, leaver, *departure, LeaveReason::Left);
  return {kOk, std::nullopt};
}

HandlerResponse on_ping(const WebSocketEvent& event, HandlerServices& services) {
  // Answered, so a client can tell that its signaling is alive; touches no store.
  services.connections.post(sender_of(event), protocol::pong_message());
  return {kOk, std::nullopt};
}

std::string_view select_route(std::string_view body) {
  return select_parsed_route(json::parse(body, nullptr, /*allow_exceptions=*/false));
}

std::string_view select_parsed_route(const json& parsed) {
  if (!parsed.is_object()) return kRouteDefault;
  auto action = parsed.find("action");
  if (action == parsed.end() || !action->is_string()) return kRouteDefault;
  const auto& name = action->get_ref<const std::string&>();
  for (const Route& route : kRoutes) {
    // The predefined routes ($connect, ...) cannot be selected by a message.
    if (route.key == name && !route.key.starts_with('$')) return route.key;
  }
  return kRouteDefault;
}

HandlerResponse dispatch(const WebSocketEvent& event, HandlerServices& services) {
  const std::string& key = event.request_context.route_key;
  auto route = std::find_if(kRoutes.begin(), kRoutes.end(),
                            [&](const Route& candidate) { return candidate.key == key; });
  if (route == kRoutes.end()) {
    services.log.write({{"event", "unknown_route"}, {"route", key}});
    return {404, "no handler for route " + key};
  }
  try {
    return route->handle(event, services);
  } catch (const StoreError& error) {
    services.log.write({{"event", "store_error"},
                        {"route", key},
                        {"connectionId", sender_of(event).value},
                        {"error", error.what()}});
    return reject(services, event, ErrorCode::InternalError,
                  "the server could not complete the request; try again", 500);
  }
}

}  // namespace videochat::lambdas
