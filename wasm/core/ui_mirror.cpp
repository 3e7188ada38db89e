#include "ui_mirror.hpp"

#include <map>
#include <nlohmann/json.hpp>

namespace videochat::client {

using json = nlohmann::json;

std::string_view to_string(UiRole role) {
  switch (role) {
    case UiRole::kButton:
      return "button";
    case UiRole::kToggle:
      return "toggle";
    case UiRole::kCheckbox:
      return "checkbox";
    case UiRole::kTextField:
      return "textField";
    case UiRole::kHeading:
      return "heading";
    case UiRole::kText:
      return "text";
    case UiRole::kDialog:
      return "dialog";
    case UiRole::kList:
      return "list";
    case UiRole::kListItem:
      return "listItem";
  }
  return "text";
}

namespace {

bool interactive(UiRole role) {
  return role == UiRole::kButton || role == UiRole::kToggle || role == UiRole::kCheckbox ||
         role == UiRole::kTextField;
}

json to_json(const UiNode& node) {
  json out = {{"id", node.id},
              {"role", to_string(node.role)},
              {"name", node.name},
              {"parent", node.parent},
              {"x", node.box.x},
              {"y", node.box.y},
              {"width", node.box.width},
              {"height", node.box.height},
              {"pressed", node.pressed},
              {"disabled", node.disabled},
              {"look", node.look == UiLook::kNameTag ? "nameTag"
                       : node.look == UiLook::kPage  ? "page"
                                                     : "canvas"}};
  if (node.role == UiRole::kTextField) {
    const TextFieldInfo& field = node.field;
    out["field"] = {{"value", field.value},
                    {"placeholder", field.placeholder},
                    {"autocomplete", field.autocomplete},
                    {"enterKeyHint", field.enter_key_hint},
                    {"inputMode", field.input_mode},
                    {"autocapitalize", field.autocapitalize},
                    {"enterAction", field.enter_action},
                    {"maxLength", field.max_length},
                    {"secret", field.secret}};
  }
  if (node.role == UiRole::kDialog) out["cancelAction"] = node.cancel_action;
  return out;
}

bool same_order(const std::vector<UiNode>& a, const std::vector<UiNode>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id) return false;
  }
  return true;
}

}  // namespace

std::string mirror_update(const UiFrame& before, const UiFrame& after) {
  json update = json::object();
  std::map<std::string_view, const UiNode*> previous;
  for (const UiNode& node : before.nodes) previous[node.id] = &node;

  json changed = json::array();
  for (const UiNode& node : after.nodes) {
    auto found = previous.find(node.id);
    if (found == previous.end() || !(*found->second == node)) changed.push_back(to_json(node));
    if (found != previous.end()) previous.erase(found);
  }
  if (!changed.empty()) update["nodes"] = std::move(changed);
  if (!previous.empty()) {
    json removed = json::array();
    for (const auto& [id, node] : previous) removed.push_back(id);
    update["remove"] = std::move(removed);
  }
  if (!same_order(before.nodes, after.nodes)) {
    json order = json::array();
    for (const UiNode& node : after.nodes) order.push_back(node.id);
    update["order"] = std::move(order);
  }
  if (before.default_action != after.default_action) {
    update["defaultAction"] = after.default_action;
  }
  if (before.shortcuts != after.shortcuts) update["shortcuts"] = after.shortcuts;
  if (!after.focus.empty()) update["focus"] = after.focus;
  if (!after.announcements.empty()) {
    json said = json::array();
    for (const Announcement& announcement : after.announcements) {
      said.push_back({{"text", announcement.text}, {"assertive", announcement.assertive}});
    }
    update["announce"] = std::move(said);
  }
  // Names come from other people: bytes that are not UTF-8 are replaced, never thrown on.
  return update.empty() ? std::string()
                        : update.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string control_boxes_json(const UiFrame& frame) {
  json controls = json::object();
  for (const UiNode& node : frame.nodes) {
    if (!interactive(node.role)) continue;
    controls[node.id] = {{"x", node.box.x},           {"y", node.box.y},
                         {"width", node.box.width},   {"height", node.box.height},
                         {"disabled", node.disabled}, {"clipped", node.clipped}};
  }
  return controls.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace videochat::client
