#include "chat_panel.hpp"

#include <nlohmann/json.hpp>

#include "texts.hpp"

extern "C" void vc_chat_panel(float x, float y, float width, float height, const char* json);

namespace videochat::ui {

using client::Text;
using client::tr;
using nlohmann::json;

namespace {

// Members the call reached who never said hello on the data channel (a client of the tutorial's
// format): what is written is not theirs to read.
json unavailable_notes(const app::App& app) {
  json notes = json::array();
  int index = 1;
  for (const auto& peer : app.call().peers) {
    const std::string name = peer.name ? *peer.name : tr(Text::kGuest, std::to_string(index));
    ++index;
    if (peer.state == client::ConnectionState::Connected && !app.side().can_chat(peer.key)) {
      notes.push_back(tr(Text::kChatUnavailableWith, name));
    }
  }
  return notes;
}

}  // namespace

void place_chat_panel(const app::App& app, std::optional<client::PageRect> box) {
  if (!box) {
    vc_chat_panel(0, 0, 0, 0, "{}");
    return;
  }
  json messages = json::array();
  for (const auto& entry : app.side().chat().entries()) {
    std::string name = entry.own ? tr(Text::kYou) : entry.author_name;
    if (name.empty()) name = tr(Text::kGuest, "");
    messages.push_back(
        {{"id", entry.id},
         {"name", name},
         {"text", entry.text},
         {"sentAt", entry.sent_at_ms},
         {"own", entry.own},
         {"relayedBy",
          entry.relayed_by ? json(tr(Text::kChatRelayedBy, *entry.relayed_by)) : json(nullptr)}});
  }
  const json state{{"texts",
                    {{"lang", std::string(client::language())},
                     {"title", tr(Text::kChat)},
                     {"close", tr(Text::kClose)},
                     {"placeholder", tr(Text::kChatPlaceholder)},
                     {"send", tr(Text::kSend)},
                     {"empty", tr(Text::kChatEmpty)}}},
                   {"messages", messages},
                   {"notes", unavailable_notes(app)}};
  vc_chat_panel(box->x, box->y, box->width, box->height, state.dump().c_str());
}

}  // namespace videochat::ui
