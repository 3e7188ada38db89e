// The UI as the page's own elements see it: one node per control, text and region the views draw
// in a frame, with its role, accessible name, state and box. The page keeps a real element for
// each node (wasm/browser/dom_mirror.js), placed exactly over what ImGui drew, so that screen
// readers, the keyboard, taps, input methods and autofill reach the UI through the browser.
// The views describe each frame; update() says only what changed since the last one, so the page
// is touched when the UI changes, never once per frame.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace videochat::client {

enum class UiRole {
  kButton,     // <button>
  kToggle,     // <button aria-pressed>: Mute, Stop video
  kCheckbox,   // <input type=checkbox>
  kTextField,  // <input>: the browser draws and edits the text
  kHeading,    // <h1>
  kText,       // text ImGui draws, for reading only
  kDialog,     // role=dialog, modal: focus moves in, Escape cancels, the rest is inert
  kList,       // <ul>: the participants
  kListItem,   // <li>
};
std::string_view to_string(UiRole role);

// Who draws a node's text. ImGui's font has Latin-1 only, no shaping and no bidi: text people
// supply (names) is drawn by the browser, in its own fonts.
enum class UiLook {
  kCanvas,   // ImGui draws it; the element is there to be read, not seen
  kNameTag,  // the page draws it, light on a dark tag over a picture; screen readers skip it
             // (the tile's list item says the name)
  kPage,     // the page draws it in the theme's text colour (a room name in any script)
};

struct UiBox {
  float x = 0, y = 0, width = 0, height = 0;
  bool operator==(const UiBox&) const = default;
};

// What a text field is for: the browser's autofill, soft keyboard and input methods read these.
struct TextFieldInfo {
  std::string value;  // what the views hold; the page's element is set only when it differs
  std::string placeholder;
  std::string autocomplete;         // e.g. "off", "nickname"
  std::string enter_key_hint;       // the soft keyboard's Enter label: "go", "next"…
  std::string input_mode = "text";  // which soft keyboard: "text", "numeric"…
  // Whether a phone capitalizes: "none" for a room (Standup and standup are two rooms), "words"
  // for a name.
  std::string autocapitalize = "none";
  std::string enter_action;  // the node activated by Enter in the field
  int max_length = 0;        // characters; 0 for none
  bool secret = false;       // shown as dots (type=password): a passcode read over a shoulder
  bool operator==(const TextFieldInfo&) const = default;
};

struct UiNode {
  std::string id;  // stable from frame to frame and unique in a frame
  UiRole role = UiRole::kText;
  std::string name;      // the accessible name; for text and headings, the text itself
  std::string parent;    // the dialog or list that holds it; empty for the page
  UiBox box;             // where ImGui drew it, CSS pixels of the page
  bool pressed = false;  // a toggle's aria-pressed, a checkbox's checked
  bool disabled = false;
  UiLook look = UiLook::kCanvas;
  bool clipped = false;       // the label (a field's placeholder) is wider than the control
  TextFieldInfo field;        // text fields only
  std::string cancel_action;  // dialogs only: the node Escape activates
  bool operator==(const UiNode&) const = default;
};

// Something the page says to screen readers as it happens (a live region): what a sighted person
// sees change. `assertive` for problems that interrupt.
struct Announcement {
  std::string text;
  bool assertive = false;
  bool operator==(const Announcement&) const = default;
};

// One frame's UI, as the views drew it, in reading (and Tab) order.
struct UiFrame {
  std::vector<UiNode> nodes;
  std::string default_action;  // what Enter does when no control has the focus (the lobby's Join)
  std::string focus;           // a node to give the keyboard focus to, once
  // Single-key shortcuts: a key (KeyboardEvent.key) and the node it activates. The page ignores
  // them while a text field has the focus, with Ctrl, Alt or Meta held, and behind a dialog.
  std::map<std::string, std::string> shortcuts;
  std::vector<Announcement> announcements;
};

// The page's update from `before` to `after`, as JSON for the page's mirror:
//   {"order": [ids…]          when nodes came, went or moved (every id, in reading order)
//    "nodes": [node…]         nodes that are new or changed, whole
//    "remove": [ids…]         nodes gone
//    "defaultAction": "…"     when it changed
//    "shortcuts": {key: id…}  when they changed
//    "focus": "…", "announce": [{"text", "assertive"}…]   when there are any}
// Empty when nothing changed: the page is not touched.
std::string mirror_update(const UiFrame& before, const UiFrame& after);

// The interactive nodes' boxes, by id ({"join": {"x","y","width","height","disabled","clipped"}…}),
// for tests and embedders (`videochat.ui()`).
std::string control_boxes_json(const UiFrame& frame);

}  // namespace videochat::client
