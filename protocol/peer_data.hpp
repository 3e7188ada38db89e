// The messages two members send each other over their RTCDataChannel (not through the server):
// the hello that says a peer can chat, text chat, the screen-share announcement and the raised
// hand. One JSON text per data-channel message:
//   {"type":"hello","version":1}
//   {"type":"chat","id":"<16-32 lowercase hex>","text":"…","sentAt":<epoch ms>}
//   {"type":"chat",…,"author":{"peerId":"<32 lowercase hex>","name":"…"}}  (relayed history)
//   {"type":"screen","stream":"<MediaStream id>"} or {"type":"screen","stream":null}
//   {"type":"hand","raised":true|false}
// A live chat message never names its author: the receiver knows who is at the other end of the
// channel. Only history relayed to a newcomer carries "author". docs/protocol.md has the rest.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "parse_result.hpp"

namespace videochat::protocol {

// A whole data-channel message larger than this is refused before it is parsed.
inline constexpr std::size_t kMaxPeerDataBytes = 16 * 1024;
// The UTF-8 bytes of one chat text.
inline constexpr std::size_t kMaxChatTextBytes = 4000;
// A chat message's id: 16 to 32 lowercase hex characters (64 to 128 random bits).
inline constexpr std::size_t kMinChatIdLength = 16;
inline constexpr std::size_t kMaxChatIdLength = 32;
// A MediaStream id: 1 to 100 printable ASCII characters (0x21-0x7E) other than " and \.
inline constexpr std::size_t kMaxStreamIdLength = 100;
// The version this client says hello with.
inline constexpr int kPeerDataVersion = 1;

bool is_valid_chat_id(std::string_view candidate);
bool is_valid_stream_id(std::string_view candidate);

// What is wrong with a chat text. Control characters other than tab and line breaks (U+0000-U+001F
// but U+0009, U+000A, U+000D; U+007F) are refused: nobody types them, and JSON writes each as six
// bytes, so without them every valid chat message, history's author included, fits in
// kMaxPeerDataBytes.
enum class ChatTextProblem { Empty, TooLong, NotUtf8, ControlCharacter };
std::optional<ChatTextProblem> chat_text_problem(std::string_view text);

// Sent by each side when the channel opens. A peer that never says hello (a tutorial-format
// client) has no chat.
struct Hello {
  int version = kPeerDataVersion;  // 1 or more

  friend bool operator==(const Hello&, const Hello&) = default;
};

// Who wrote a message relayed as history. `peer_id` is 32 lowercase hex characters, or empty for
// an author whose peer id the relaying member never learned; `name` follows the rules of display
// names (identifiers.hpp) but may be empty.
struct ChatAuthor {
  std::string peer_id;
  std::string name;

  friend bool operator==(const ChatAuthor&, const ChatAuthor&) = default;
};

struct ChatMessage {
  std::string id;    // the author's, unique: receivers drop a message whose id they already have
  std::string text;  // see chat_text_problem; verbatim, not markup
  double sent_at_ms = 0;  // the author's clock, ms since the epoch; finite, not negative
  std::optional<ChatAuthor> relayed_author;  // set only in history relayed to a newcomer

  friend bool operator==(const ChatMessage&, const ChatMessage&) = default;
};

// The sender started (`stream_id`, the id of the MediaStream its screen track arrives in) or
// stopped (nothing) sharing its screen.
struct ScreenShare {
  std::optional<std::string> stream_id;

  friend bool operator==(const ScreenShare&, const ScreenShare&) = default;
};

struct Hand {
  bool raised = false;

  friend bool operator==(const Hand&, const Hand&) = default;
};

using PeerData = std::variant<Hello, ChatMessage, ScreenShare, Hand>;

// Reads one data-channel message. Unknown fields are ignored; an unknown "type" is
// ParseProblem::UnknownType; a known type with a missing or invalid field is BadField with a
// detail naming it ("chat.text is longer than 4000 bytes"). Never throws.
Parsed<PeerData> parse_peer_data(std::string_view text);

// One line of JSON in the shapes above, "type" first; sentAt is written as an integer when it is
// one. What parse_peer_data accepts is written back as text it reads as the same value.
std::string to_text(const PeerData& data);

}  // namespace videochat::protocol
