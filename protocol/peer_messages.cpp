#include "peer_messages.hpp"

#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "json_fields.hpp"

namespace videochat::protocol {

namespace {

using nlohmann::json;

constexpr const char* kTypeOffer = "offer";
constexpr const char* kTypeAnswer = "answer";
constexpr const char* kTypeCandidate = "candidate";

ParseError bad_field(std::string detail) {
  return {ParseProblem::BadField, std::move(detail)};
}

json candidate_json(const IceCandidate& candidate) {
  auto nullable = [](const auto& value) { return value ? json(*value) : json(nullptr); };
  return json{{"candidate", candidate.candidate},
              {"sdpMid", nullable(candidate.sdp_mid)},
              {"sdpMLineIndex", nullable(candidate.sdp_mline_index)},
              {"usernameFragment", nullable(candidate.username_fragment)}};
}

Parsed<IceCandidate> candidate_from_json(const json& object, std::string_view where) {
  std::string prefix(where);
  if (!object.is_object()) return bad_field(prefix + " must be an object");
  const std::string* line = json_fields::string_field(object, "candidate");
  if (!line) return bad_field(prefix + ".candidate must be a string");
  auto mid = json_fields::nullable_string_field(object, "sdpMid");
  if (!mid.ok) return bad_field(prefix + ".sdpMid must be a string or null");
  auto index = json_fields::nullable_uint16_field(object, "sdpMLineIndex");
  if (!index.ok) return bad_field(prefix + ".sdpMLineIndex must be 0 to 65535 or null");
  auto ufrag = json_fields::nullable_string_field(object, "usernameFragment");
  if (!ufrag.ok) return bad_field(prefix + ".usernameFragment must be a string or null");
  return IceCandidate{*line, std::move(mid.value), index.value, std::move(ufrag.value)};
}

// The {"type":…,"sdp":…} object under `key`; its inner "type", when present, must agree.
Parsed<std::string> description_sdp(const json& message, const char* key) {
  auto it = message.find(key);
  if (it == message.end() || !it->is_object()) {
    return bad_field(std::string(key) + " must be an object");
  }
  const std::string* sdp = json_fields::string_field(*it, "sdp");
  if (!sdp) return bad_field(std::string(key) + ".sdp must be a string");
  auto inner_type = it->find("type");
  if (inner_type != it->end() && !(inner_type->is_string() && *inner_type == key)) {
    return bad_field(std::string(key) + ".type must be \"" + key + "\"");
  }
  return *sdp;
}

}  // namespace

std::string_view to_string(SdpType type) {
  switch (type) {
    case SdpType::Offer:
      return kTypeOffer;
    case SdpType::Answer:
      return kTypeAnswer;
  }
  return kTypeOffer;
}

std::optional<SdpType> parse_sdp_type(std::string_view text) {
  if (text == kTypeOffer) return SdpType::Offer;
  if (text == kTypeAnswer) return SdpType::Answer;
  return std::nullopt;
}

Parsed<IceCandidate> parse_ice_candidate(std::string_view json_text) {
  json object = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (object.is_discarded()) return ParseError{ParseProblem::NotJson, "candidate is not JSON"};
  if (!object.is_object()) {
    return ParseError{ParseProblem::NotAnObject, "candidate is not a JSON object"};
  }
  return candidate_from_json(object, "candidate");
}

std::string to_json_text(const IceCandidate& candidate) {
  return json_fields::dump(candidate_json(candidate));
}

std::string to_text(const SignalMessage& message) {
  json object = std::visit(
      [](const auto& body) -> json {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, Offer>) {
          return {{"type", kTypeOffer}, {kTypeOffer, {{"type", kTypeOffer}, {"sdp", body.sdp}}}};
        } else if constexpr (std::is_same_v<Body, Answer>) {
          return {{"type", kTypeAnswer}, {kTypeAnswer, {{"type", kTypeAnswer}, {"sdp", body.sdp}}}};
        } else {
          return {{"type", kTypeCandidate}, {kTypeCandidate, candidate_json(body.candidate)}};
        }
      },
      message.body);
  if (message.from) object["from"] = message.from->value;
  if (message.from_peer) object["fromPeer"] = *message.from_peer;
  if (message.session) object["session"] = *message.session;
  if (message.to_session) object["toSession"] = *message.to_session;
  return json_fields::dump(object);
}

Parsed<SignalMessage> parse_signal_message(std::string_view text) {
  json object = json::parse(text.begin(), text.end(), nullptr, false);
  if (object.is_discarded()) return ParseError{ParseProblem::NotJson, "message is not JSON"};
  return signal_message_from_json(object);
}

Parsed<SignalMessage> signal_message_from_json(const json& object) {
  if (!object.is_object()) {
    return ParseError{ParseProblem::NotAnObject, "message is not a JSON object"};
  }
  const std::string* type = json_fields::string_field(object, "type");
  if (!type) return bad_field("type must be a string");

  std::optional<ConnectionId> from;
  if (auto it = object.find("from"); it != object.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return bad_field("from must be a non-empty string");
    }
    from = ConnectionId{it->get<std::string>()};
  }

  SignalMessage message{std::move(from), Offer{}, {}, {}, {}};
  for (auto [key, field] :
       {std::pair{"fromPeer", &message.from_peer}, std::pair{"session", &message.session},
        std::pair{"toSession", &message.to_session}}) {
    auto value = json_fields::nullable_string_field(object, key);
    if (!value.ok) return bad_field(std::string(key) + " must be a string or null");
    *field = std::move(value.value);
  }

  if (*type == kTypeOffer || *type == kTypeAnswer) {
    const bool offer = *type == kTypeOffer;
    auto sdp = description_sdp(object, offer ? kTypeOffer : kTypeAnswer);
    if (auto* error = std::get_if<ParseError>(&sdp)) return std::move(*error);
    std::string text = std::move(std::get<std::string>(sdp));
    message.body = offer ? SignalBody{Offer{std::move(text)}} : SignalBody{Answer{std::move(text)}};
    return message;
  }
  if (*type == kTypeCandidate) {
    auto it = object.find(kTypeCandidate);
    if (it == object.end()) return bad_field("candidate must be an object");
    auto candidate = candidate_from_json(*it, kTypeCandidate);
    if (auto* error = std::get_if<ParseError>(&candidate)) return std::move(*error);
    message.body = Candidate{std::move(std::get<IceCandidate>(candidate))};
    return message;
  }
  return ParseError{ParseProblem::UnknownType, "unknown message type '" + *type + "'"};
}

}  // namespace videochat::protocol
