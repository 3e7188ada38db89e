#include "peer_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "identifiers.hpp"
#include "json_fields.hpp"
#include "object_text.hpp"
#include "text_encoding.hpp"

namespace videochat::protocol {

namespace {

using nlohmann::json;

constexpr const char* kTypeHello = "hello";
constexpr const char* kTypeChat = "chat";
constexpr const char* kTypeScreen = "screen";
constexpr const char* kTypeHand = "hand";

// Doubles hold every integer up to 2^53 exactly; sentAt within it is written without a fraction.
constexpr double kMaxExactInteger = 9007199254740992.0;

ParseError bad_field(std::string detail) {
  return {ParseProblem::BadField, std::move(detail)};
}

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

Parsed<PeerData> hello_from_json(const json& object) {
  constexpr auto kMaxVersion = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  auto it = object.find("version");
  // JSON's positive integers are read as unsigned, negative ones as signed.
  if (it == object.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() < 1 ||
      it->get<std::uint64_t>() > kMaxVersion) {
    return bad_field("hello.version must be an integer of 1 or more");
  }
  return Hello{static_cast<int>(it->get<std::uint64_t>())};
}

Parsed<ChatAuthor> author_from_json(const json& author) {
  if (!author.is_object()) return bad_field("chat.author must be an object or null");
  const std::string* peer_id = json_fields::string_field(author, "peerId");
  if (!peer_id || !(peer_id->empty() || is_valid_peer_id(*peer_id))) {
    return bad_field("chat.author.peerId must be 32 lowercase hex characters, or empty");
  }
  const std::string* name = json_fields::string_field(author, "name");
  if (!name) return bad_field("chat.author.name must be a string");
  if (!name->empty()) {
    if (auto problem = check_name(*name)) {
      return bad_field("chat.author." + std::string(describe(*problem)));
    }
  }
  return ChatAuthor{*peer_id, *name};
}

Parsed<PeerData> chat_from_json(const json& object) {
  ChatMessage chat;
  const std::string* id = json_fields::string_field(object, "id");
  if (!id || !is_valid_chat_id(*id)) {
    return bad_field("chat.id must be 16 to 32 lowercase hex characters");
  }
  chat.id = *id;

  const std::string* text = json_fields::string_field(object, "text");
  if (!text) return bad_field("chat.text must be a string");
  if (auto problem = chat_text_problem(*text)) {
    switch (*problem) {
      case ChatTextProblem::Empty:
        return bad_field("chat.text is empty");
      case ChatTextProblem::TooLong:
        return bad_field("chat.text is longer than " + std::to_string(kMaxChatTextBytes) +
                         " bytes");
      case ChatTextProblem::NotUtf8:
        return bad_field("chat.text is not UTF-8");
      case ChatTextProblem::ControlCharacter:
        return bad_field("chat.text holds a control character other than tab and line breaks");
    }
  }
  chat.text = *text;

  auto sent_at = object.find("sentAt");
  if (sent_at == object.end() || !sent_at->is_number()) {
    return bad_field("chat.sentAt must be a number (ms since the epoch)");
  }
  chat.sent_at_ms = sent_at->get<double>();
  if (!std::isfinite(chat.sent_at_ms) || chat.sent_at_ms < 0) {
    return bad_field("chat.sentAt must be a finite number of 0 or more");
  }

  if (auto author = object.find("author"); author != object.end() && !author->is_null()) {
    auto parsed = author_from_json(*author);
    if (auto* error = std::get_if<ParseError>(&parsed)) return std::move(*error);
    chat.relayed_author = std::move(std::get<ChatAuthor>(parsed));
  }
  return chat;
}

Parsed<PeerData> screen_from_json(const json& object) {
  auto stream = object.find("stream");
  if (stream == object.end()) return bad_field("screen.stream must be a stream id or null");
  if (stream->is_null()) return ScreenShare{std::nullopt};
  if (!stream->is_string() || !is_valid_stream_id(stream->get_ref<const std::string&>())) {
    return bad_field(
        "screen.stream must be null or 1 to 100 printable ASCII characters other than \" and \\");
  }
  return ScreenShare{stream->get<std::string>()};
}

Parsed<PeerData> hand_from_json(const json& object) {
  auto raised = object.find("raised");
  if (raised == object.end() || !raised->is_boolean()) {
    return bad_field("hand.raised must be true or false");
  }
  return Hand{raised->get<bool>()};
}

json sent_at_json(double ms) {
  if (std::isfinite(ms) && std::trunc(ms) == ms && std::fabs(ms) <= kMaxExactInteger) {
    return json(static_cast<std::int64_t>(ms));
  }
  return json(ms);
}

}  // namespace

bool is_valid_chat_id(std::string_view candidate) {
  return candidate.size() >= kMinChatIdLength && candidate.size() <= kMaxChatIdLength &&
         std::all_of(candidate.begin(), candidate.end(), is_lower_hex);
}

std::optional<ChatTextProblem> chat_text_problem(std::string_view text) {
  if (text.empty()) return ChatTextProblem::Empty;
  if (text.size() > kMaxChatTextBytes) return ChatTextProblem::TooLong;
  if (!is_utf8(text)) return ChatTextProblem::NotUtf8;
  const bool control = std::any_of(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
           c == 0x7F;
  });
  if (control) return ChatTextProblem::ControlCharacter;
  return std::nullopt;
}

bool is_valid_stream_id(std::string_view candidate) {
  return !candidate.empty() && candidate.size() <= kMaxStreamIdLength &&
         std::all_of(candidate.begin(), candidate.end(),
                     [](char c) { return c >= 0x21 && c <= 0x7E && c != '"' && c != '\\'; });
}

Parsed<PeerData> parse_peer_data(std::string_view text) {
  if (text.size() > kMaxPeerDataBytes) {
    return bad_field("message is larger than " + std::to_string(kMaxPeerDataBytes) + " bytes");
  }
  json object = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return ParseError{ParseProblem::NotJson, "message is not JSON"};
  if (!object.is_object()) {
    return ParseError{ParseProblem::NotAnObject, "message is not a JSON object"};
  }
  const std::string* type = json_fields::string_field(object, "type");
  if (!type) return bad_field("type must be a string");
  if (*type == kTypeHello) return hello_from_json(object);
  if (*type == kTypeChat) return chat_from_json(object);
  if (*type == kTypeScreen) return screen_from_json(object);
  if (*type == kTypeHand) return hand_from_json(object);
  return ParseError{ParseProblem::UnknownType, "unknown message type '" + *type + "'"};
}

std::string to_text(const PeerData& data) {
  return std::visit(
      [](const auto& message) {
        using Message = std::decay_t<decltype(message)>;
        ObjectText out;
        if constexpr (std::is_same_v<Message, Hello>) {
          out.field("type", kTypeHello).field("version", message.version);
        } else if constexpr (std::is_same_v<Message, ChatMessage>) {
          out.field("type", kTypeChat)
              .field("id", message.id)
              .field("text", message.text)
              .field("sentAt", sent_at_json(message.sent_at_ms));
          if (const auto& author = message.relayed_author) {
            ObjectText author_text;
            author_text.field("peerId", author->peer_id).field("name", author->name);
            out.raw("author", std::move(author_text).finish());
          }
        } else if constexpr (std::is_same_v<Message, ScreenShare>) {
          out.field("type", kTypeScreen)
              .field("stream", message.stream_id ? json(*message.stream_id) : json(nullptr));
        } else {
          out.field("type", kTypeHand).field("raised", message.raised);
        }
        return std::move(out).finish();
      },
      data);
}

}  // namespace videochat::protocol
