// The views' side of the DOM mirror (core/ui_mirror.hpp): while the views draw a frame they
// describe each control to the mirror, and learn from it what the person did on the page's
// elements since the last frame (activated a button, typed in a field). Everything a control does
// happens in the views' one immediate-mode pass, whether the person clicked, tapped, pressed a key
// or a screen reader activated it: the page's elements only report.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "announcer.hpp"
#include "ui_mirror.hpp"

namespace videochat::ui {

class Mirror final {
 public:
  // What the person did on the page's elements (dom_mirror.js, through main.cpp's bindings);
  // taken by the next frame.
  void activate(const std::string& id) { activations_.insert(id); }
  void input(const std::string& id, std::string value) { inputs_[id] = std::move(value); }

  // While the views draw a frame.
  void add(client::UiNode node) { frame_.nodes.push_back(std::move(node)); }
  // Whether the node was activated since the last frame. A control reports it, and what it
  // opens (a dialog drawn later in the frame) may act on it as well.
  bool activated(const std::string& id) const { return activations_.count(id) > 0; }
  // The text the person gave the field since the last frame, if any.
  std::optional<std::string> take_input(const std::string& id);
  void focus(const std::string& id) { frame_.focus = id; }
  void announce(std::string text, bool assertive) {
    frame_.announcements.push_back({std::move(text), assertive});
  }
  void set_default_action(const std::string& id) { frame_.default_action = id; }
  void shortcut(const std::string& key, const std::string& id) { frame_.shortcuts[key] = id; }

  // Ends the frame: the page's update (client::mirror_update; empty when nothing changed), with
  // what the announcer makes of `screen`. What the person did on a control the frame no longer
  // drew is dropped.
  std::string end_frame(const client::ScreenView& screen);
  // The interactive controls' boxes in the last frame, for videochat.ui().
  std::string controls_json() const { return client::control_boxes_json(shown_); }

 private:
  client::UiFrame frame_;  // being drawn
  client::UiFrame shown_;  // on the page
  client::Announcer announcer_;
  std::set<std::string> activations_;
  std::map<std::string, std::string> inputs_;
};

}  // namespace videochat::ui
