#include "server_frames.hpp"

#include <limits>
#include <utility>

#include "json_fields.hpp"
#include "object_text.hpp"

namespace videochat::protocol {

namespace {

using nlohmann::json;

constexpr std::string_view kJoined = "joined";
constexpr std::string_view kNewParticipant = "newParticipant";
constexpr std::string_view kParticipantResumed = "participantResumed";
constexpr std::string_view kParticipantUpdated = "participantUpdated";
constexpr std::string_view kParticipantLeft = "participantLeft";
constexpr std::string_view kRoomLocked = "roomLocked";
constexpr std::string_view kError = "error";
constexpr std::string_view kPong = "pong";

// ---- writing ----

// Adds the profile's fields that are present; absent ones are left out, not null.
void add_profile(ObjectText& object, const ParticipantProfile& profile) {
  if (profile.peer_id) object.field("peerId", profile.peer_id->value);
  if (profile.name) object.field("name", *profile.name);
}

void add_participant(ObjectText& object, const Participant& who) {
  object.field("participantConnectionId", who.connection.value);
  add_profile(object, who.profile);
}

std::string ice_servers_text(const std::vector<IceServer>& servers) {
  std::string list = "[";
  for (const IceServer& server : servers) {
    if (list.size() > 1) list += ',';
    ObjectText entry;
    entry.field("urls", server.urls);
    entry.field("username", server.username);
    entry.field("credential", server.credential);
    list += std::move(entry).finish();
  }
  return list + ']';
}

void write_fields(ObjectText& out, const Joined& frame) {
  out.field("roomId", frame.room.value);
  out.field("connectionId", frame.connection.value);
  if (frame.capacity) out.field("capacity", *frame.capacity);
  std::string list = "[";
  for (const Participant& other : frame.participants) {
    if (list.size() > 1) list += ',';
    ObjectText entry;
    add_participant(entry, other);
    list += std::move(entry).finish();
  }
  out.raw("participants", list + ']');
  add_profile(out, frame.profile);
  if (frame.resume_token) out.field("resumeToken", *frame.resume_token);
  if (!frame.ice_servers.empty()) out.raw("iceServers", ice_servers_text(frame.ice_servers));
  if (frame.ice_servers_ttl) out.field("iceServersTtl", *frame.ice_servers_ttl);
  if (frame.locked) out.field("locked", true);
  if (frame.has_passcode) out.field("hasPasscode", true);
}
void write_fields(ObjectText& out, const NewParticipant& frame) {
  add_participant(out, frame.participant);
}
void write_fields(ObjectText& out, const ParticipantResumed& frame) {
  out.field("previousConnectionId", frame.previous.value);
  add_participant(out, frame.participant);
}
void write_fields(ObjectText& out, const ParticipantUpdated& frame) {
  add_participant(out, frame.participant);
}
void write_fields(ObjectText& out, const ParticipantLeft& frame) {
  out.field("participantConnectionId", frame.participant.value);
  out.field("reason", to_string(frame.reason));
}
void write_fields(ObjectText& out, const RoomLocked& frame) {
  out.field("roomId", frame.room.value);
  out.field("locked", frame.locked);
  out.field("by", frame.by.value);
}
void write_fields(ObjectText& out, const ErrorFrame& frame) {
  out.field("code", frame.unknown_code ? *frame.unknown_code : std::string(to_string(frame.code)));
  out.field("message", frame.message);
}
void write_fields(ObjectText&, const Pong&) {}

// In the order of ServerFrame's alternatives; a relayed message has the type its sender gave it.
constexpr std::string_view kTypes[] = {
    kJoined,     kNewParticipant, kParticipantResumed, kParticipantUpdated, kParticipantLeft,
    kRoomLocked, kError,          kPong,               ""};
static_assert(std::size(kTypes) == std::variant_size_v<ServerFrame>);

// ---- reading ----

ParseError bad_field(std::string detail) { return {ParseProblem::BadField, std::move(detail)}; }

const std::string* non_empty_string(const json& object, const char* key) {
  const std::string* text = json_fields::string_field(object, key);
  return text && !text->empty() ? text : nullptr;
}

// The profile fields: a peerId, when present, must be one.
Parsed<ParticipantProfile> profile_from_json(const json& object, const std::string& where) {
  auto peer_id = json_fields::nullable_string_field(object, "peerId");
  if (!peer_id.ok) return bad_field(where + "peerId must be a string or null");
  auto name = json_fields::nullable_string_field(object, "name");
  if (!name.ok) return bad_field(where + "name must be a string or null");
  ParticipantProfile profile{std::nullopt, std::move(name.value)};
  if (peer_id.value) {
    profile.peer_id = parse_peer_id(*peer_id.value);
    if (!profile.peer_id) return bad_field(where + "peerId must be 32 lowercase hex characters");
  }
  return profile;
}

// A participant entry: `participantConnectionId`, and the optional `peerId` and `name`.
Parsed<Participant> participant_from_json(const json& object, const std::string& where) {
  if (!object.is_object()) return bad_field(where + " must be an object");
  const std::string* id = non_empty_string(object, "participantConnectionId");
  if (!id) return bad_field(where + ".participantConnectionId must be a non-empty string");
  auto profile = profile_from_json(object, where + ".");
  if (auto* error = std::get_if<ParseError>(&profile)) return std::move(*error);
  return Participant{ConnectionId{*id}, std::move(std::get<ParticipantProfile>(profile))};
}

// `iceServers`: RTCIceServer entries whose `urls` is a string or a list of them. One message for
// every fault: only a broken server sends one, and the client downloads each message's bytes.
Parsed<std::vector<IceServer>> ice_servers_from_json(const json& list) {
  std::vector<IceServer> servers;
  for (const json& entry : list) {
    auto urls = entry.is_object() ? entry.find("urls") : entry.end();
    const bool listed = urls != entry.end() && urls->is_array() && !urls->empty();
    if (!list.is_array() || !(listed || (urls != entry.end() && urls->is_string()))) break;
    IceServer server;
    for (const json& url : listed ? *urls : json::array({*urls})) {
      if (!url.is_string()) break;
      server.urls.push_back(url.get<std::string>());
    }
    auto username = json_fields::nullable_string_field(entry, "username");
    auto credential = json_fields::nullable_string_field(entry, "credential");
    if (server.urls.size() != (listed ? urls->size() : 1) || !username.ok || !credential.ok) break;
    server.username = username.value.value_or("");
    server.credential = credential.value.value_or("");
    servers.push_back(std::move(server));
  }
  if (!list.is_array() || servers.size() != list.size()) {
    return bad_field("iceServers must be an array of RTCIceServer objects: urls a string or a "
                     "list of them, username and credential strings");
  }
  return servers;
}

Parsed<ServerFrame> joined_from_json(const json& object) {
  const std::string* room = json_fields::string_field(object, "roomId");
  if (!room || !is_valid_room_id(*room)) return bad_field("roomId must be a room id");
  const std::string* own = non_empty_string(object, "connectionId");
  if (!own) return bad_field("connectionId must be a non-empty string");
  auto token = json_fields::nullable_string_field(object, "resumeToken");
  if (!token.ok) return bad_field("resumeToken must be a string or null");
  auto profile = profile_from_json(object, "");
  if (auto* error = std::get_if<ParseError>(&profile)) return std::move(*error);
  Joined joined{RoomId{*room}, ConnectionId{*own}, std::nullopt,
                std::move(std::get<ParticipantProfile>(profile)), std::move(token.value), {}};
  for (auto [key, into] : {std::pair{"capacity", &joined.capacity},
                           std::pair{"iceServersTtl", &joined.ice_servers_ttl}}) {
    auto count = object.find(key);
    if (count == object.end() || count->is_null()) continue;
    if (!count->is_number_unsigned() ||
        count->get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
      return bad_field(std::string(key) + " must be a non-negative integer");
    }
    *into = count->get<std::uint32_t>();
  }
  auto list = object.find("participants");
  if (list != object.end() && !list->is_null()) {
    if (!list->is_array()) return bad_field("participants must be an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto entry = participant_from_json((*list)[i], "participants[" + std::to_string(i) + "]");
      if (auto* error = std::get_if<ParseError>(&entry)) return std::move(*error);
      joined.participants.push_back(std::move(std::get<Participant>(entry)));
    }
  }
  for (auto [key, into] : {std::pair{"locked", &joined.locked},
                           std::pair{"hasPasscode", &joined.has_passcode}}) {
    auto flag = object.find(key);
    if (flag == object.end() || flag->is_null()) continue;
    if (!flag->is_boolean()) return bad_field(std::string(key) + " must be true or false");
    *into = flag->get<bool>();
  }
  auto ice = object.find("iceServers");
  if (ice != object.end() && !ice->is_null()) {
    auto servers = ice_servers_from_json(*ice);
    if (auto* error = std::get_if<ParseError>(&servers)) return std::move(*error);
    joined.ice_servers = std::move(std::get<std::vector<IceServer>>(servers));
  }
  return joined;
}

Parsed<ServerFrame> participant_frame(const json& object, std::string_view type) {
  auto who = participant_from_json(object, std::string(type));
  if (auto* error = std::get_if<ParseError>(&who)) return std::move(*error);
  Participant participant = std::move(std::get<Participant>(who));
  if (type == kNewParticipant) return NewParticipant{std::move(participant)};
  if (type == kParticipantUpdated) return ParticipantUpdated{std::move(participant)};
  const std::string* previous = non_empty_string(object, "previousConnectionId");
  if (!previous) return bad_field("previousConnectionId must be a non-empty string");
  return ParticipantResumed{ConnectionId{*previous}, std::move(participant)};
}

Parsed<ServerFrame> participant_left_from_json(const json& object) {
  const std::string* id = non_empty_string(object, "participantConnectionId");
  if (!id) return bad_field("participantConnectionId must be a non-empty string");
  const std::string* reason = json_fields::string_field(object, "reason");
  const bool left = reason && *reason == to_string(LeaveReason::Left);
  return ParticipantLeft{ConnectionId{*id}, left ? LeaveReason::Left : LeaveReason::Disconnected};
}

Parsed<ServerFrame> room_locked_from_json(const json& object) {
  const std::string* room = json_fields::string_field(object, "roomId");
  if (!room || !is_valid_room_id(*room)) return bad_field("roomId must be a room id");
  auto locked = object.find("locked");
  if (locked == object.end() || !locked->is_boolean()) {
    return bad_field("locked must be true or false");
  }
  const std::string* by = non_empty_string(object, "by");
  if (!by) return bad_field("by must be a non-empty string");
  return RoomLocked{RoomId{*room}, locked->get<bool>(), ConnectionId{*by}};
}

Parsed<ServerFrame> error_from_json(const json& object) {
  const std::string* code = json_fields::string_field(object, "code");
  const std::string* message = json_fields::string_field(object, "message");
  if (!code) return bad_field("error code must be a string");
  if (!message) return bad_field("error message must be a string");
  if (auto known = parse_error_code(*code)) return ErrorFrame{*known, *message, std::nullopt};
  return ErrorFrame{ErrorCode::InternalError, *message, *code};
}

}  // namespace

std::string to_text(const ServerFrame& frame) {
  if (const auto* relayed = std::get_if<Relayed>(&frame)) {
    return json_fields::dump(relayed->message);
  }
  ObjectText out;
  out.field("type", kTypes[frame.index()]);
  std::visit(
      [&](const auto& value) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(value)>, Relayed>) {
          write_fields(out, value);
        }
      },
      frame);
  return std::move(out).finish();
}

Parsed<ServerFrame> parse_server_frame(std::string_view text) {
  // nlohmann would skip a leading byte-order mark; the server never writes one, so a frame that
  // has one was made by someone else (a member's message relayed by a server without our
  // splice rule) and must not be read as the server's.
  if (text.starts_with("\xEF\xBB\xBF")) {
    return ParseError{ParseProblem::NotJson, "frame starts with a byte-order mark"};
  }
  json object = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return ParseError{ParseProblem::NotJson, "frame is not JSON"};
  if (!object.is_object()) {
    return ParseError{ParseProblem::NotAnObject, "frame is not a JSON object"};
  }
  if (object.contains("from")) return Relayed{std::move(object)};
  const std::string* type = json_fields::string_field(object, "type");
  if (!type) return bad_field("type must be a string");
  if (*type == kJoined) return joined_from_json(object);
  if (*type == kNewParticipant || *type == kParticipantResumed || *type == kParticipantUpdated) {
    return participant_frame(object, *type);
  }
  if (*type == kParticipantLeft) return participant_left_from_json(object);
  if (*type == kRoomLocked) return room_locked_from_json(object);
  if (*type == kError) return error_from_json(object);
  if (*type == kPong) return Pong{};
  return Relayed{std::move(object)};
}

}  // namespace videochat::protocol
