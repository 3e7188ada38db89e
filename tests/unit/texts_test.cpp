#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "texts.hpp"

using namespace videochat::client;

namespace {

// The placeholders a text uses: {0}, {1}.
std::set<char> placeholders(std::string_view text) {
  std::set<char> found;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '{' && text[i + 2] == '}') found.insert(text[i + 1]);
  }
  return found;
}

std::string_view find(std::string_view language, Text id) {
  for (const TextEntry& entry : text_table(language)) {
    if (entry.id == id) return entry.text;
  }
  return {};
}

struct LanguageGuard {
  ~LanguageGuard() { set_language("en"); }
};

}  // namespace

TEST_CASE("every language has every text, once, with the placeholders English has") {
  for (std::string_view language : kLanguages) {
    CAPTURE(language);
    std::vector<int> seen(static_cast<int>(Text::kCount), 0);
    for (const TextEntry& entry : text_table(language)) {
      ++seen[static_cast<int>(entry.id)];
      CHECK_FALSE(entry.text.empty());
      CHECK(placeholders(entry.text) == placeholders(find("en", entry.id)));
    }
    for (int id = 0; id < static_cast<int>(Text::kCount); ++id) {
      CAPTURE(id);
      CHECK(seen[id] == 1);
    }
  }
}

TEST_CASE("the language: ?lang= first, then the browser's languages, then English") {
  const std::vector<std::string> austrian = {"de-AT", "en-US"};
  const std::vector<std::string> french = {"fr-FR", "fr"};
  CHECK(choose_language("", austrian) == "de");
  CHECK(choose_language("en", austrian) == "en");
  CHECK(choose_language("DE", {}) == "de");
  CHECK(choose_language("", french) == "en");
  CHECK(choose_language("xx", french) == "en");
  const std::vector<std::string> french_then_german = {"fr", "de-CH"};
  CHECK(choose_language("", french_then_german) == "de");
}

TEST_CASE("texts are in the language set, with what the caller fills in") {
  LanguageGuard guard;
  CHECK(tr(Text::kJoinRoom) == "Join room");
  CHECK(tr(Text::kSaidPeerJoined, "Ann") == "Ann joined the call.");
  set_language("de-DE");
  CHECK(language() == "de");
  CHECK(tr(Text::kJoinRoom) == "Raum betreten");
  CHECK(tr(Text::kRoomName, "standup") == "Raum standup");
  set_language("klingon");
  CHECK(language() == "en");
}
