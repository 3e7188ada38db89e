// The room's chat as a page keeps it: what may be sent, de-duplication by id, where relayed
// history lands, the cap, unread counting, the history a newcomer gets and who sends it.
#include "chat_log.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace {

using videochat::client::ChatEntry;
using videochat::client::ChatLog;
using videochat::client::ChatRefusal;
using videochat::client::check_chat_text;
using videochat::client::relays_history_to;
namespace protocol = videochat::protocol;

const std::string kAlice = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kBob = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const std::string kCarol = "cccccccccccccccccccccccccccccccc";
const std::string kDave = "dddddddddddddddddddddddddddddddd";

// A chat id made from a number, 16 lowercase hex characters.
std::string id(int number) {
  char text[17];
  std::snprintf(text, sizeof text, "%016x", number);
  return text;
}

ChatEntry from_bob(int number, double sent_at_ms) {
  return {id(number), kBob,  "Bob",       "message " + std::to_string(number),
          sent_at_ms, false, std::nullopt};
}

ChatEntry own(int number, double sent_at_ms) {
  return {id(number), kAlice, "Alice",     "mine " + std::to_string(number),
          sent_at_ms, true,   std::nullopt};
}

ChatEntry relayed(ChatEntry entry, std::string by = "Carol") {
  entry.relayed_by = std::move(by);
  return entry;
}

std::vector<std::string> ids(const ChatLog& log) {
  std::vector<std::string> out;
  for (const ChatEntry& entry : log.entries()) out.push_back(entry.id);
  return out;
}

}  // namespace

TEST_SUITE("chat: what may be sent") {
  TEST_CASE("an empty or blank text is refused as empty") {
    CHECK(check_chat_text("") == ChatRefusal::Empty);
    CHECK(check_chat_text(" \t\r\n ") == ChatRefusal::Empty);
  }

  TEST_CASE("a text longer than 4000 bytes is refused as too long, 4000 bytes is sent") {
    CHECK(check_chat_text(std::string(protocol::kMaxChatTextBytes + 1, 'a')) ==
          ChatRefusal::TooLong);
    CHECK(check_chat_text(std::string(protocol::kMaxChatTextBytes, 'a')) == std::nullopt);
  }

  TEST_CASE("bytes that are not UTF-8, or control characters, are refused as not text") {
    CHECK(check_chat_text("caf\xE9") == ChatRefusal::NotText);
    CHECK(check_chat_text("ding\x07") == ChatRefusal::NotText);
  }

  TEST_CASE("ordinary text, markup and line breaks included, is sent") {
    CHECK(check_chat_text("Grüße 😀") == std::nullopt);
    CHECK(check_chat_text("<script>alert(1)</script>") == std::nullopt);
    CHECK(check_chat_text("two\nlines\twith a tab") == std::nullopt);
  }

  TEST_CASE("each refusal has a name for logs") {
    CHECK(to_string(ChatRefusal::Empty) == "empty");
    CHECK(to_string(ChatRefusal::TooLong) == "too_long");
    CHECK(to_string(ChatRefusal::NotText) == "not_text");
  }
}

TEST_SUITE("chat: the log") {
  TEST_CASE("live messages are appended in the order they arrive") {
    ChatLog log;
    CHECK(log.add(from_bob(1, 300)));
    CHECK(log.add(own(2, 100)));  // another clock: arrival order wins
    CHECK(ids(log) == std::vector{id(1), id(2)});
    CHECK(log.entries()[1] == own(2, 100));
  }

  TEST_CASE("a message whose id is in the log is refused and changes nothing") {
    ChatLog log;
    REQUIRE(log.add(from_bob(1, 100)));
    ChatEntry again = from_bob(1, 200);
    again.text = "altered";
    CHECK_FALSE(log.add(again));
    CHECK_FALSE(log.add_relayed(relayed(again)));
    REQUIRE(log.entries().size() == 1);
    CHECK(log.entries()[0] == from_bob(1, 100));
  }

  TEST_CASE("a message first seen as history is refused when it arrives live") {
    ChatLog log;
    REQUIRE(log.add_relayed(relayed(from_bob(1, 100))));
    CHECK_FALSE(log.add(from_bob(1, 100)));
    CHECK(log.entries().size() == 1);
    CHECK(log.entries()[0].relayed_by == "Carol");
  }

  TEST_CASE("relayed history lands after what was said before it and before what came after") {
    ChatLog log;
    REQUIRE(log.add(from_bob(1, 100)));
    REQUIRE(log.add(from_bob(2, 300)));
    REQUIRE(log.add(from_bob(3, 500)));
    CHECK(log.add_relayed(relayed(from_bob(10, 50))));   // before everything
    CHECK(log.add_relayed(relayed(from_bob(11, 400))));  // between 2 and 3
    CHECK(log.add_relayed(relayed(from_bob(12, 900))));  // after everything
    CHECK(ids(log) == std::vector{id(10), id(1), id(2), id(11), id(3), id(12)});
  }

  TEST_CASE("relayed history with equal times keeps the order it was relayed in") {
    ChatLog log;
    REQUIRE(log.add(from_bob(1, 100)));
    REQUIRE(log.add(from_bob(2, 200)));
    CHECK(log.add_relayed(relayed(from_bob(10, 100))));
    CHECK(log.add_relayed(relayed(from_bob(11, 100))));
    CHECK(ids(log) == std::vector{id(1), id(10), id(11), id(2)});
  }

  TEST_CASE("only the last 100 messages are kept, the oldest dropped first") {
    ChatLog log;
    for (int n = 1; n <= 130; ++n) REQUIRE(log.add(from_bob(n, n)));
    REQUIRE(log.entries().size() == ChatLog::kKept);
    CHECK(log.entries().front().id == id(31));
    CHECK(log.entries().back().id == id(130));
  }

  TEST_CASE("a message dropped by the cap is refused when it comes back as history") {
    ChatLog log;
    for (int n = 1; n <= 130; ++n) REQUIRE(log.add(from_bob(n, n)));
    CHECK_FALSE(log.add_relayed(relayed(from_bob(1, 1))));
    CHECK_FALSE(log.add_relayed(relayed(from_bob(1, 1000))));
    CHECK(log.entries().front().id == id(31));
  }

  TEST_CASE("history older than everything in a full log is not kept") {
    ChatLog log;
    for (int n = 1; n <= 100; ++n) REQUIRE(log.add(from_bob(n, 1000 + n)));
    CHECK_FALSE(log.add_relayed(relayed(from_bob(500, 5))));
    CHECK(log.entries().size() == ChatLog::kKept);
    CHECK(log.entries().front().id == id(1));
    CHECK(log.knows(id(500)));
  }

  TEST_CASE("a kept message stays known however much older history passes through") {
    ChatLog log;
    REQUIRE(log.add(from_bob(1, 1'000'000)));
    for (int n = 2; n <= 99; ++n) REQUIRE(log.add(from_bob(n, 1'000'000 + n)));
    // Over a thousand ids, each older than the whole log, remembered and let go.
    for (int n = 1000; n < 2200; ++n) log.add_relayed(relayed(from_bob(n, n)));
    const std::vector<ChatEntry> entries = log.entries();
    const std::vector<std::string> kept = ids(log);
    REQUIRE(kept.front() != id(1));  // history was kept before the first message...
    REQUIRE(std::count(kept.begin(), kept.end(), id(1)) == 1);  // ...which is still kept
    CHECK_FALSE(log.add(from_bob(1, 1'000'000)));
    CHECK(log.entries() == entries);
  }
}

TEST_SUITE("chat: unread") {
  TEST_CASE("others' messages added while the panel is closed are unread, own ones are not") {
    ChatLog log;
    REQUIRE_FALSE(log.open());
    log.add(from_bob(1, 1));
    log.add(own(2, 2));
    log.add_relayed(relayed(from_bob(3, 0)));
    CHECK(log.unread() == 2);
  }

  TEST_CASE("opening the panel marks everything read") {
    ChatLog log;
    log.add(from_bob(1, 1));
    log.set_open(true);
    CHECK(log.open());
    CHECK(log.unread() == 0);
  }

  TEST_CASE("messages added while the panel is open are never unread, also after closing it") {
    ChatLog log;
    log.set_open(true);
    log.add(from_bob(1, 1));
    log.set_open(false);
    CHECK(log.unread() == 0);
    log.add(from_bob(2, 2));
    CHECK(log.unread() == 1);
  }

  TEST_CASE("a refused duplicate is not counted") {
    ChatLog log;
    log.add(from_bob(1, 1));
    log.add(from_bob(1, 1));
    log.add_relayed(relayed(from_bob(1, 1)));
    CHECK(log.unread() == 1);
  }

  TEST_CASE("unread never counts messages the cap dropped") {
    ChatLog log;
    for (int n = 1; n <= 150; ++n) log.add(from_bob(n, n));
    CHECK(log.unread() == 100);
  }
}

TEST_SUITE("chat: history for a newcomer") {
  TEST_CASE("history is every entry, oldest first, each with its author") {
    ChatLog log;
    log.add(from_bob(1, 100));
    log.add(own(2, 200));
    log.add_relayed(relayed({id(3), kCarol, "Carol", "from before", 50, false, std::nullopt}));
    const std::vector<protocol::ChatMessage> expected = {
        {id(3), "from before", 50, protocol::ChatAuthor{kCarol, "Carol"}},
        {id(1), "message 1", 100, protocol::ChatAuthor{kBob, "Bob"}},
        {id(2), "mine 2", 200, protocol::ChatAuthor{kAlice, "Alice (new name)"}},
    };
    CHECK(log.history(kAlice, "Alice (new name)") == expected);
  }

  TEST_CASE("history is at most 100 messages") {
    ChatLog log;
    for (int n = 1; n <= 120; ++n) log.add(own(n, n));
    CHECK(log.history(kAlice, "Alice").size() == ChatLog::kKept);
  }

  TEST_CASE("every message of the history is written as relayed chat a newcomer reads") {
    ChatLog log;
    log.add(own(1, 1700000000123));
    for (const protocol::ChatMessage& message : log.history(kAlice, "Alice")) {
      const auto parsed = protocol::parse_peer_data(protocol::to_text(message));
      REQUIRE(std::holds_alternative<protocol::PeerData>(parsed));
      CHECK(std::get<protocol::PeerData>(parsed) == protocol::PeerData{message});
    }
  }
}

TEST_SUITE("chat: who relays the history") {
  TEST_CASE("the member with the smallest peer id, the newcomer aside, relays") {
    // Alice joins: Bob is the smallest of the others.
    CHECK(relays_history_to(kBob, {kCarol, kDave, kAlice}, kAlice));
    CHECK_FALSE(relays_history_to(kCarol, {kBob, kDave, kAlice}, kAlice));
    CHECK_FALSE(relays_history_to(kDave, {kBob, kCarol, kAlice}, kAlice));
  }

  TEST_CASE("exactly one member relays, whoever the newcomer is") {
    const std::vector<std::string> room = {kAlice, kBob, kCarol, kDave};
    for (const std::string& newcomer : room) {
      int relaying = 0;
      for (const std::string& member : room) {
        std::vector<std::string> others;
        for (const std::string& other : room) {
          if (other != member) others.push_back(other);
        }
        if (relays_history_to(member, others, newcomer)) ++relaying;
      }
      CAPTURE(newcomer);
      CHECK(relaying == 1);
    }
  }

  TEST_CASE("the newcomer never relays to itself") {
    CHECK_FALSE(relays_history_to(kAlice, {kBob}, kAlice));
  }

  TEST_CASE("members whose hello never arrived take no part") {
    // Bob cannot chat, so Bob is not among Carol's chat members: Carol is the smallest left.
    CHECK(relays_history_to(kCarol, {kDave, kAlice}, kAlice));
  }

  TEST_CASE("alone with the newcomer, a member relays") {
    CHECK(relays_history_to(kDave, {kAlice}, kAlice));
  }
}
