#include "route_handlers.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

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
// A full room is not a malformed request (400) nor a matter of permission (403): the request
// conflicts with the room's current state, and may succeed once someone leaves.
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
  auto room = room_id_field(*std::get<ParsedBody>(body), event, services, /*required=*/true);
  if (auto* rejected = std::get_if<HandlerResponse>(&room)) return *rejected;
  const RoomId& room_id = *std::get<std::optional<RoomId>>(room);

  const ConnectionId& joiner = sender_of(event);
  JoinOutcome outcome;
  try {
    outcome = services.store.join_room(joiner, room_id);
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
  if (!outcome.already_member) {
    deliver(services, outcome.other_members, protocol::new_participant_message(joiner));
  }
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

  auto targets = services.store.relay_targets(room_id, sender_of(event));
  if (!targets) {
    return reject(services, event, ErrorCode::NotInRoom,
                  "you are not in room '" + room_id.value + "'; join it first");
  }
  deliver(services, *targets, text);
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
