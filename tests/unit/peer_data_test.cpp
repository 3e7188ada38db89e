// The messages peers send each other over the data channel: each reads back as written, the exact
// text of each, and every refusal with the detail a log reader sees.
#include "peer_data.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

using namespace videochat::protocol;

const std::string kChatId = "0123456789abcdef";
const std::string kPeer = "fedcba9876543210fedcba9876543210";

PeerData parsed(std::string_view text) {
  auto result = parse_peer_data(text);
  if (auto* error = std::get_if<ParseError>(&result)) FAIL("refused: " << error->detail);
  return std::get<PeerData>(result);
}

ParseError refusal(std::string_view text) {
  auto result = parse_peer_data(text);
  REQUIRE(std::holds_alternative<ParseError>(result));
  return std::get<ParseError>(result);
}

ParseError bad_field(std::string detail) {
  return {ParseProblem::BadField, std::move(detail)};
}

std::string chat_with(std::string_view fields) {
  return R"({"type":"chat","id":")" + kChatId + R"(","text":"hi","sentAt":1)" +
         std::string(fields) + "}";
}

std::vector<PeerData> every_message() {
  return {
      Hello{},
      Hello{7},
      ChatMessage{kChatId, "hello", 1700000000123, std::nullopt},
      ChatMessage{"0123456789abcdef0123456789abcdef", "Zoë says \"hi\"\n\ttwice \\o/ 😀", 0.5,
                  std::nullopt},
      ChatMessage{kChatId, "earlier", 1700000000000, ChatAuthor{kPeer, "Zoë"}},
      ChatMessage{kChatId, "from nobody we know", 1, ChatAuthor{"", ""}},
      ScreenShare{"{0f8fad5b-d9cb-469f-a165-70867728950e}"},
      ScreenShare{std::nullopt},
      Hand{true},
      Hand{false},
  };
}

}  // namespace

TEST_SUITE("peer data: round trips") {
  TEST_CASE("every message reads back as written") {
    for (const PeerData& message : every_message()) {
      const std::string text = to_text(message);
      CAPTURE(text);
      CHECK(parsed(text) == message);
      CHECK(to_text(parsed(text)) == text);
      CHECK(text.find('\n') == std::string::npos);
    }
  }

  TEST_CASE("the samples cover every message type") {
    std::vector<bool> seen(std::variant_size_v<PeerData>);
    for (const PeerData& message : every_message()) seen[message.index()] = true;
    for (bool type_seen : seen) CHECK(type_seen);
  }

  TEST_CASE("each message is written in its documented shape, type first") {
    CHECK(to_text(Hello{}) == R"({"type":"hello","version":1})");
    CHECK(to_text(ChatMessage{kChatId, "hi", 1700000000123, std::nullopt}) ==
          R"({"type":"chat","id":"0123456789abcdef","text":"hi","sentAt":1700000000123})");
    CHECK(to_text(ChatMessage{kChatId, "hi", 2, ChatAuthor{kPeer, "Bob"}}) ==
          R"({"type":"chat","id":"0123456789abcdef","text":"hi","sentAt":2,"author":{"peerId":")" +
              kPeer + R"(","name":"Bob"}})");
    CHECK(to_text(ScreenShare{"s1"}) == R"({"type":"screen","stream":"s1"})");
    CHECK(to_text(ScreenShare{std::nullopt}) == R"({"type":"screen","stream":null})");
    CHECK(to_text(Hand{true}) == R"({"type":"hand","raised":true})");
    CHECK(to_text(Hand{false}) == R"({"type":"hand","raised":false})");
  }

  TEST_CASE("a fractional sentAt keeps its fraction, an integral one is written as an integer") {
    CHECK(to_text(ChatMessage{kChatId, "x", 1700000000123.25, std::nullopt})
              .find(R"("sentAt":1700000000123.25)") != std::string::npos);
    CHECK(to_text(ChatMessage{kChatId, "x", 1700000000123.0, std::nullopt})
              .find(R"("sentAt":1700000000123})") != std::string::npos);
  }

  TEST_CASE("markup in a chat text is kept verbatim: rendering it safely is the UI's job") {
    const std::string script = "<script>alert('x')</script> &amp; <b>bold</b>";
    const PeerData message = ChatMessage{kChatId, script, 1, std::nullopt};
    CHECK(std::get<ChatMessage>(parsed(to_text(message))).text == script);
  }

  TEST_CASE("fields nobody defined are ignored, and a null author is no author") {
    CHECK(parsed(R"({"type":"hand","raised":true,"color":"red","v":[1,2]})") ==
          PeerData{Hand{true}});
    CHECK(parsed(chat_with(R"(,"author":null,"extra":{})")) ==
          PeerData{ChatMessage{kChatId, "hi", 1, std::nullopt}});
  }

  TEST_CASE("the largest valid chat message, relayed with its author, still fits a message") {
    // Quotes are the characters JSON writes longest among those a chat text may hold.
    const PeerData largest =
        ChatMessage{std::string(kMaxChatIdLength, 'f'), std::string(kMaxChatTextBytes, '"'),
                    1.0e300, ChatAuthor{kPeer, std::string(64, '"')}};
    const std::string text = to_text(largest);
    CHECK(text.size() <= kMaxPeerDataBytes);
    CHECK(parsed(text) == largest);
  }
}

TEST_SUITE("peer data: refused") {
  TEST_CASE("text that is not a JSON object, or has no string type") {
    CHECK(refusal("hello").problem == ParseProblem::NotJson);
    CHECK(refusal("").problem == ParseProblem::NotJson);
    CHECK(refusal(R"(["hello"])").problem == ParseProblem::NotAnObject);
    CHECK(refusal(R"({"version":1})") == bad_field("type must be a string"));
    CHECK(refusal(R"({"type":7})") == bad_field("type must be a string"));
  }

  TEST_CASE("an unknown type is UnknownType, for a newer peer's messages to be ignored") {
    CHECK(refusal(R"({"type":"reaction","emoji":"x"})") ==
          ParseError{ParseProblem::UnknownType, "unknown message type 'reaction'"});
  }

  TEST_CASE("a message larger than 16 KiB is refused before it is read") {
    const std::string padding(kMaxPeerDataBytes, ' ');
    CHECK(refusal(R"({"type":"hand","raised":true})" + padding) ==
          bad_field("message is larger than 16384 bytes"));
    // Exactly the limit is still read.
    const std::string hand = R"({"type":"hand","raised":true})";
    CHECK(parsed(hand + std::string(kMaxPeerDataBytes - hand.size(), ' ')) == PeerData{Hand{true}});
  }

  TEST_CASE("a hello without a positive integer version") {
    const ParseError expected = bad_field("hello.version must be an integer of 1 or more");
    for (std::string_view version : {"", R"(,"version":0)", R"(,"version":-1)", R"(,"version":1.5)",
                                     R"(,"version":"1")", R"(,"version":4294967296)"}) {
      CAPTURE(version);
      CHECK(refusal(R"({"type":"hello")" + std::string(version) + "}") == expected);
    }
  }

  TEST_CASE("a chat id that is not 16 to 32 lowercase hex characters") {
    const ParseError expected = bad_field("chat.id must be 16 to 32 lowercase hex characters");
    for (std::string_view id : {"", "0123456789abcde", "0123456789abcdef0123456789abcdef0",
                                "0123456789ABCDEF", "0123456789abcdeg"}) {
      CAPTURE(id);
      CHECK(refusal(R"({"type":"chat","id":")" + std::string(id) +
                    R"(","text":"hi","sentAt":1})") == expected);
    }
    CHECK(refusal(R"({"type":"chat","text":"hi","sentAt":1})") == expected);
    CHECK(refusal(R"({"type":"chat","id":12345678901234567,"text":"hi","sentAt":1})") == expected);
  }

  TEST_CASE("a chat text that is missing, empty, too long, not UTF-8 or holds control characters") {
    auto chat = [](std::string_view text_json) {
      return R"({"type":"chat","id":")" + kChatId + R"(","text":)" + std::string(text_json) +
             R"(,"sentAt":1})";
    };
    CHECK(refusal(R"({"type":"chat","id":")" + kChatId + R"(","sentAt":1})") ==
          bad_field("chat.text must be a string"));
    CHECK(refusal(chat("42")) == bad_field("chat.text must be a string"));
    CHECK(refusal(chat(R"("")")) == bad_field("chat.text is empty"));
    CHECK(refusal(chat('"' + std::string(kMaxChatTextBytes + 1, 'a') + '"')) ==
          bad_field("chat.text is longer than 4000 bytes"));
    CHECK(refusal(chat(R"("\u0007 bell")")) ==
          bad_field("chat.text holds a control character other than tab and line breaks"));
    CHECK(refusal(chat("\"\x7F\"")) ==
          bad_field("chat.text holds a control character other than tab and line breaks"));
    // nlohmann refuses invalid UTF-8 while reading, so it never reaches the text check.
    CHECK(refusal(chat("\"\xC0\xAF\"")).problem == ParseProblem::NotJson);
  }

  TEST_CASE("a chat text of exactly 4000 bytes, counted in UTF-8, is taken") {
    std::string euros;
    for (int i = 0; i < 1333; ++i) euros += "€";  // 3 bytes each: 3999
    const std::string text = euros + "e";
    const PeerData message = ChatMessage{kChatId, text, 1, std::nullopt};
    CHECK(parsed(R"({"type":"chat","id":")" + kChatId + R"(","text":")" + text +
                 R"(","sentAt":1})") == message);
    CHECK(chat_text_problem(euros + "€") == ChatTextProblem::TooLong);
  }

  TEST_CASE("a sentAt that is missing, not a number or negative") {
    auto chat = [](std::string_view sent_at) {
      return R"({"type":"chat","id":")" + kChatId + R"(","text":"hi")" + std::string(sent_at) + "}";
    };
    const ParseError not_number = bad_field("chat.sentAt must be a number (ms since the epoch)");
    CHECK(refusal(chat("")) == not_number);
    CHECK(refusal(chat(R"(,"sentAt":"1700000000000")")) == not_number);
    CHECK(refusal(chat(R"(,"sentAt":null)")) == not_number);
    CHECK(refusal(chat(R"(,"sentAt":-1)")) ==
          bad_field("chat.sentAt must be a finite number of 0 or more"));
    CHECK(refusal(chat(R"(,"sentAt":-0.5)")) ==
          bad_field("chat.sentAt must be a finite number of 0 or more"));
    // JSON has no infinity; nlohmann refuses a number too large for a double as it reads.
    CHECK(refusal(chat(R"(,"sentAt":1e400)")).problem == ParseProblem::NotJson);
  }

  TEST_CASE("a relayed author that is not an object with a peer id and a valid name") {
    CHECK(refusal(chat_with(R"(,"author":"Bob")")) ==
          bad_field("chat.author must be an object or null"));
    CHECK(refusal(chat_with(R"(,"author":{"name":"Bob"})")) ==
          bad_field("chat.author.peerId must be 32 lowercase hex characters, or empty"));
    CHECK(refusal(
              chat_with(R"(,"author":{"peerId":"ABCDEF9876543210FEDCBA9876543210","name":""})")) ==
          bad_field("chat.author.peerId must be 32 lowercase hex characters, or empty"));
    CHECK(refusal(chat_with(R"(,"author":{"peerId":")" + kPeer + R"("})")) ==
          bad_field("chat.author.name must be a string"));
    CHECK(refusal(chat_with(R"(,"author":{"peerId":")" + kPeer + R"(","name":")" +
                            std::string(65, 'x') + R"("})")) ==
          bad_field("chat.author.name must be at most 64 bytes of UTF-8"));
    CHECK(
        refusal(chat_with(R"(,"author":{"peerId":")" + kPeer + R"(","name":"a\nb"})")) ==
        bad_field("chat.author.name must not contain control characters (U+0000-U+001F, U+007F)"));
  }

  TEST_CASE("a screen announcement without a stream field, or with a stream id out of shape") {
    CHECK(refusal(R"({"type":"screen"})") ==
          bad_field("screen.stream must be a stream id or null"));
    const ParseError bad_id = bad_field(
        "screen.stream must be null or 1 to 100 printable ASCII characters other than \" and \\");
    for (std::string_view stream :
         {R"("")", R"("a b")", R"("a\"b")", R"("a\\b")", R"("é")", "42", "false"}) {
      CAPTURE(stream);
      CHECK(refusal(R"({"type":"screen","stream":)" + std::string(stream) + "}") == bad_id);
    }
    CHECK(refusal(R"({"type":"screen","stream":")" + std::string(kMaxStreamIdLength + 1, 'a') +
                  R"("})") == bad_id);
    CHECK(parsed(R"({"type":"screen","stream":")" + std::string(kMaxStreamIdLength, '~') +
                 R"("})") == PeerData{ScreenShare{std::string(kMaxStreamIdLength, '~')}});
  }

  TEST_CASE("a hand that is not raised true or false") {
    const ParseError expected = bad_field("hand.raised must be true or false");
    CHECK(refusal(R"({"type":"hand"})") == expected);
    CHECK(refusal(R"({"type":"hand","raised":1})") == expected);
    CHECK(refusal(R"({"type":"hand","raised":"true"})") == expected);
  }
}
