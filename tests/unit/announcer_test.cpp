#include <doctest/doctest.h>

#include "announcer.hpp"

using namespace videochat::client;

namespace {

ScreenView lobby() {
  ScreenView view;
  view.has_microphone = view.microphone_on = true;
  view.has_camera = view.camera_on = true;
  return view;
}

ScreenView in_room(std::vector<ScreenView::Peer> peers = {}, bool online = true) {
  ScreenView view = lobby();
  view.in_room = true;
  view.room = "standup";
  view.server_online = online;
  view.peers = std::move(peers);
  return view;
}

std::vector<std::string> texts(const std::vector<Announcement>& said) {
  std::vector<std::string> out;
  for (const auto& announcement : said) out.push_back(announcement.text);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("joining is said once the server has answered, with whether anyone is there") {
  Announcer announcer;
  CHECK(announcer.update(lobby()).empty());
  CHECK(announcer.update(in_room({}, false)).empty());  // still connecting: nothing to say yet
  CHECK(texts(announcer.update(in_room())) ==
        Strings{"You joined room standup. Nobody else is here yet."});
  CHECK(announcer.update(in_room()).empty());
  CHECK(texts(announcer.update(lobby())) == Strings{"You left the room."});
}

TEST_CASE("people joining, leaving, and their connection breaking and coming back") {
  Announcer announcer;
  announcer.update(in_room());
  ScreenView::Peer bob{7, "Bob", ConnectionState::Connecting};
  CHECK(texts(announcer.update(in_room({bob}))) == Strings{"Bob joined the call."});
  bob.state = ConnectionState::Connected;
  CHECK(announcer.update(in_room({bob})).empty());  // the picture arriving is seen, not said
  bob.state = ConnectionState::Reconnecting;
  CHECK(texts(announcer.update(in_room({bob}))) ==
        Strings{"Connection to Bob interrupted. Reconnecting."});
  bob.state = ConnectionState::Connected;
  CHECK(texts(announcer.update(in_room({bob}))) == Strings{"Connection to Bob restored."});
  bob.state = ConnectionState::Failed;
  auto failed = announcer.update(in_room({bob}));
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].text == "Could not connect to Bob.");
  CHECK(failed[0].assertive);
  CHECK(texts(announcer.update(in_room())) == Strings{"Bob left the call."});
}

TEST_CASE("the server going away during a call, and coming back") {
  Announcer announcer;
  ScreenView::Peer bob{7, "Bob", ConnectionState::Connected};
  announcer.update(in_room({bob}));
  auto lost = announcer.update(in_room({bob}, false));
  REQUIRE(lost.size() == 1);
  CHECK(lost[0].text == "Connection to the server lost. The call goes on; reconnecting.");
  CHECK(lost[0].assertive);
  CHECK(texts(announcer.update(in_room({bob}))) == Strings{"Connection to the server restored."});
}

TEST_CASE("muting and the camera are said when the person switches them, not when devices come") {
  Announcer announcer;
  ScreenView view = lobby();
  view.has_microphone = view.has_camera = false;
  announcer.update(view);
  CHECK(announcer.update(lobby()).empty());  // the devices arrived
  ScreenView muted = lobby();
  muted.microphone_on = false;
  CHECK(texts(announcer.update(muted)) == Strings{"Microphone muted."});
  muted.camera_on = false;
  CHECK(texts(announcer.update(muted)) == Strings{"Camera off."});
  CHECK(texts(announcer.update(lobby())) == Strings{"Microphone on.", "Camera on."});
}

TEST_CASE("problems and dialogs interrupt") {
  Announcer announcer;
  ScreenView view = lobby();
  view.media_problem = "The camera is blocked.";
  auto said = announcer.update(view);
  REQUIRE(said.size() == 1);
  CHECK(said[0].assertive);
  CHECK(announcer.update(view).empty());
  view.notice = "The room is full. Six people are in it.";
  said = announcer.update(view);
  REQUIRE(said.size() == 1);
  CHECK(said[0].text == "The room is full. Six people are in it.");
  CHECK(said[0].assertive);
}

TEST_CASE("a screen shared, a hand raised, speaking while muted and a remark are said") {
  Announcer announcer;
  const ScreenView::Peer bob{7, "Bob", ConnectionState::Connected};
  announcer.update(in_room({bob}));
  ScreenView::Peer sharing = bob;
  sharing.sharing_screen = true;
  sharing.hand_raised = true;
  CHECK(texts(announcer.update(in_room({sharing}))) ==
        Strings{"Bob is sharing a screen.", "Bob raised a hand."});
  CHECK(texts(announcer.update(in_room({bob}))) == Strings{"Bob stopped sharing."});

  ScreenView own = in_room({bob});
  own.sharing_screen = true;
  own.speaking_while_muted = true;
  own.remark = "Screen sharing was cancelled.";
  const auto said = announcer.update(own);
  CHECK(texts(said) == Strings{"You are sharing your screen.", "You are speaking while muted.",
                               "Screen sharing was cancelled."});
  CHECK(said[1].assertive);
  CHECK(announcer.update(own).empty());  // said once, not in every frame
}
