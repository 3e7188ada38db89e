#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "ui_mirror.hpp"

using namespace videochat::client;
using json = nlohmann::json;

namespace {

UiNode button(const std::string& id, const std::string& name, UiBox box = {10, 20, 100, 40}) {
  UiNode node;
  node.id = id;
  node.role = UiRole::kButton;
  node.name = name;
  node.box = box;
  return node;
}

UiFrame frame_of(std::vector<UiNode> nodes) {
  UiFrame frame;
  frame.nodes = std::move(nodes);
  return frame;
}

json update(const UiFrame& before, const UiFrame& after) {
  std::string text = mirror_update(before, after);
  return text.empty() ? json() : json::parse(text);
}

}  // namespace

TEST_CASE("the mirror's first update creates every node, in reading order") {
  UiFrame first = frame_of({button("join", "Join room"), button("leave", "Leave")});
  json change = update({}, first);
  REQUIRE(change["nodes"].size() == 2);
  CHECK(change["nodes"][0]["id"] == "join");
  CHECK(change["nodes"][0]["role"] == "button");
  CHECK(change["nodes"][0]["name"] == "Join room");
  CHECK(change["nodes"][0]["x"] == 10);
  CHECK(change["nodes"][0]["height"] == 40);
  CHECK(change["order"] == json::array({"join", "leave"}));
  CHECK_FALSE(change.contains("remove"));
}

TEST_CASE("a frame that changed nothing touches nothing on the page") {
  UiFrame frame = frame_of({button("join", "Join room")});
  frame.default_action = "join";
  CHECK(mirror_update(frame, frame).empty());
}

TEST_CASE("only what changed is sent: a pressed toggle, a moved button") {
  UiNode mute = button("microphone", "Mute");
  mute.role = UiRole::kToggle;
  UiFrame before = frame_of({mute, button("leave", "Leave")});
  UiFrame after = before;
  after.nodes[0].pressed = true;
  after.nodes[1].box.x = 300;
  json change = update(before, after);
  REQUIRE(change["nodes"].size() == 2);
  CHECK(change["nodes"][0]["pressed"] == true);
  CHECK(change["nodes"][1]["x"] == 300);
  CHECK_FALSE(change.contains("order"));  // same nodes in the same order: nothing moves

  after.nodes[1].box.x = 10;
  after.nodes[0].pressed = false;
  after.nodes[0].name = "Mute";
  CHECK(update(before, after).is_null());
}

TEST_CASE("nodes that go are removed, and the order is sent again") {
  UiFrame before = frame_of({button("a", "A"), button("b", "B"), button("c", "C")});
  UiFrame after = frame_of({button("c", "C"), button("a", "A")});
  json change = update(before, after);
  CHECK(change["remove"] == json::array({"b"}));
  CHECK(change["order"] == json::array({"c", "a"}));
  CHECK_FALSE(change.contains("nodes"));
}

TEST_CASE("a text field carries what autofill, the soft keyboard and Enter need") {
  UiNode room;
  room.id = "room";
  room.role = UiRole::kTextField;
  room.name = "Room";
  room.field = {.value = "standup",
                .placeholder = "e.g. team-standup",
                .autocomplete = "off",
                .enter_key_hint = "go",
                .enter_action = "join",
                .max_length = 64};
  json node = update({}, frame_of({room}))["nodes"][0];
  CHECK(node["role"] == "textField");
  CHECK(node["field"]["value"] == "standup");
  CHECK(node["field"]["placeholder"] == "e.g. team-standup");
  CHECK(node["field"]["enterKeyHint"] == "go");
  CHECK(node["field"]["inputMode"] == "text");
  CHECK(node["field"]["autocapitalize"] == "none");
  CHECK(node["field"]["enterAction"] == "join");
  CHECK(node["field"]["maxLength"] == 64);

  UiFrame typed = frame_of({room});
  typed.nodes[0].field.value = "standup2";
  CHECK(update(frame_of({room}), typed)["nodes"][0]["field"]["value"] == "standup2");
}

TEST_CASE("focus requests and announcements are sent once, with the frame that made them") {
  UiFrame frame = frame_of({button("ok", "OK")});
  UiFrame asked = frame;
  asked.focus = "ok";
  asked.announcements = {{"Ann joined the call.", false}, {"Camera blocked", true}};
  json change = update(frame, asked);
  CHECK(change["focus"] == "ok");
  REQUIRE(change["announce"].size() == 2);
  CHECK(change["announce"][1]["text"] == "Camera blocked");
  CHECK(change["announce"][1]["assertive"] == true);
  CHECK_FALSE(change.contains("nodes"));
}

TEST_CASE("shortcuts are sent when they change, and all of them") {
  UiFrame before = frame_of({button("microphone", "Mute")});
  UiFrame after = before;
  after.shortcuts = {{"m", "microphone"}, {"?", "help"}};
  json change = update(before, after);
  CHECK(change["shortcuts"] == json({{"m", "microphone"}, {"?", "help"}}));
  CHECK(update(after, after).is_null());
  CHECK(update(after, before)["shortcuts"] == json::object());  // turned off
}

TEST_CASE("a name the page draws says so") {
  UiNode tag = button("tile-1-name", "会議室の花子");
  tag.role = UiRole::kText;
  tag.look = UiLook::kNameTag;
  json node = update({}, frame_of({tag}))["nodes"][0];
  CHECK(node["look"] == "nameTag");
  CHECK(node["name"] == "会議室の花子");
  CHECK(update({}, frame_of({button("join", "Join")}))["nodes"][0]["look"] == "canvas");
  tag.look = UiLook::kPage;
  CHECK(update({}, frame_of({tag}))["nodes"][0]["look"] == "page");
}

TEST_CASE("names that are not UTF-8 are replaced, not thrown on") {
  UiNode item = button("tile-1", std::string("Ann\xff"));
  item.role = UiRole::kListItem;
  json change = update({}, frame_of({item}));
  CHECK(change["nodes"][0]["name"] == "Ann\xef\xbf\xbd");
}

TEST_CASE("the controls' boxes list interactive nodes only") {
  UiNode heading = button("title", "Video chat");
  heading.role = UiRole::kHeading;
  UiNode join = button("join", "Join room");
  join.disabled = true;
  json boxes = json::parse(control_boxes_json(frame_of({heading, join})));
  CHECK_FALSE(boxes.contains("title"));
  CHECK(boxes["join"]["width"] == 100);
  CHECK(boxes["join"]["disabled"] == true);
  CHECK(boxes["join"]["clipped"] == false);
}
