#include "side_channel.hpp"

#include <algorithm>

#include "random_id.hpp"
#include "texts.hpp"

namespace videochat::app {

using client::PeerKey;
using client::Text;
using client::tr;

namespace {

std::string refusal_text(client::ChatRefusal refusal, std::size_t bytes) {
  switch (refusal) {
    case client::ChatRefusal::Empty:
      return "";
    case client::ChatRefusal::TooLong:
      return tr(Text::kChatTooLong, std::to_string(bytes),
                std::to_string(protocol::kMaxChatTextBytes));
    case client::ChatRefusal::NotText:
      return tr(Text::kChatNotText);
  }
  return tr(Text::kChatNotText);
}

}  // namespace

SideChannel::SideChannel(browser::PeerConnections& peers, Hooks hooks)
    : peers_(peers), hooks_(std::move(hooks)) {}

std::optional<client::PeerSnapshot> SideChannel::who(PeerKey key) const {
  for (const auto& peer : hooks_.call().peers) {
    if (peer.key == key) return peer;
  }
  return std::nullopt;
}

void SideChannel::send(PeerKey peer, const protocol::PeerData& data) {
  if (!peers_.send_data(peer, protocol::to_text(data))) {
    hooks_.log("data channel to peer " + std::to_string(peer.value) + " is not open");
  }
}

void SideChannel::opened(PeerKey peer) {
  send(peer, protocol::Hello{});
  if (own_screen_) send(peer, protocol::ScreenShare{own_screen_});
  if (hand_raised()) send(peer, protocol::Hand{true});
}

void SideChannel::closed(PeerKey peer) {
  chat_peers_.erase(peer);
  if (screens_.erase(peer) > 0) peers_.set_remote_screen(peer, std::nullopt);
  hands_.forget(hand_of(peer));
  hooks_.changed();
}

void SideChannel::peer_closed(PeerKey peer) {
  chat_peers_.erase(peer);
  screens_.erase(peer);
  hands_.forget(hand_of(peer));
}

void SideChannel::reset() {
  chat_ = client::ChatLog();
  chat_peers_.clear();
  screens_.clear();
  new_messages_.clear();
  hands_ = client::RaisedHands();
  hooks_.changed();
}

void SideChannel::raise_hand(bool raised) {
  if (raised == hand_raised()) return;
  if (raised) {
    own_hand_raised_at_ms_ = hooks_.now_ms();
    hands_.raise(kOwnHand, own_hand_raised_at_ms_);
  } else {
    hands_.lower(kOwnHand);
  }
  for (PeerKey peer : chat_peers_) send(peer, protocol::Hand{raised});
  hooks_.changed();
}

int SideChannel::hand_place(PeerKey peer) const {
  return hands_.place(hand_of(peer));
}

void SideChannel::message(PeerKey peer, const std::string& text) {
  auto parsed = protocol::parse_peer_data(text);
  if (auto* error = std::get_if<protocol::ParseError>(&parsed)) {
    // A newer client's message is not an error; a malformed one is logged and dropped.
    if (error->problem != protocol::ParseProblem::UnknownType) {
      hooks_.log("peer " + std::to_string(peer.value) +
                 " sent a bad data channel message: " + error->detail);
    }
    return;
  }
  std::visit(
      [&](auto& data) {
        using T = std::decay_t<decltype(data)>;
        if constexpr (std::is_same_v<T, protocol::Hello>) {
          on_hello(peer);
        } else if constexpr (std::is_same_v<T, protocol::ChatMessage>) {
          on_chat(peer, std::move(data));
        } else if constexpr (std::is_same_v<T, protocol::ScreenShare>) {
          if (data.stream_id) {
            screens_.insert(peer);
          } else {
            screens_.erase(peer);
          }
          peers_.set_remote_screen(peer, data.stream_id);
        } else if constexpr (std::is_same_v<T, protocol::Hand>) {
          if (data.raised) {
            hands_.raise(hand_of(peer), hooks_.now_ms());
          } else {
            hands_.lower(hand_of(peer));
          }
        }
      },
      std::get<protocol::PeerData>(parsed));
  hooks_.changed();
}

void SideChannel::on_hello(PeerKey peer) {
  chat_peers_.insert(peer);
  const auto call = hooks_.call();
  const auto newcomer = who(peer);
  if (!newcomer || !newcomer->peer_id || chat_.entries().empty()) return;
  std::vector<std::string> members;
  for (const auto& other : call.peers) {
    if (other.peer_id && chat_peers_.contains(other.key)) members.push_back(*other.peer_id);
  }
  if (!client::relays_history_to(call.own_peer_id, members, *newcomer->peer_id)) return;
  for (auto& message : chat_.history(call.own_peer_id, call.own_name)) {
    send(peer, protocol::ChatMessage(std::move(message)));
  }
}

void SideChannel::on_chat(PeerKey peer, protocol::ChatMessage message) {
  const auto sender = who(peer);
  if (!sender) return;
  const std::string sender_name = sender->name.value_or("");
  client::ChatEntry entry;
  entry.id = std::move(message.id);
  entry.text = std::move(message.text);
  entry.sent_at_ms = message.sent_at_ms;
  bool added = false;
  if (message.relayed_author) {
    entry.author_peer_id = message.relayed_author->peer_id;
    entry.author_name = message.relayed_author->name;
    entry.own = entry.author_peer_id == hooks_.call().own_peer_id;
    entry.relayed_by = sender_name;
    added = chat_.add_relayed(entry);
  } else {
    // A live message is from whoever is at the other end of the channel, whatever it says.
    entry.author_peer_id = sender->peer_id.value_or("");
    entry.author_name = sender_name;
    added = chat_.add(entry);
  }
  if (added) new_messages_.push_back(std::move(entry));
}

std::optional<std::string> SideChannel::send_chat(const std::string& text, double now_ms) {
  if (auto refusal = client::check_chat_text(text)) return refusal_text(*refusal, text.size());
  const auto call = hooks_.call();
  client::ChatEntry entry;
  entry.id = browser::random_id();
  entry.author_peer_id = call.own_peer_id;
  entry.author_name = call.own_name;
  entry.text = text;
  entry.sent_at_ms = now_ms;
  entry.own = true;
  const protocol::ChatMessage message{entry.id, entry.text, entry.sent_at_ms, std::nullopt};
  for (PeerKey peer : chat_peers_) send(peer, message);
  chat_.add(entry);
  new_messages_.push_back(std::move(entry));
  hooks_.changed();
  return std::nullopt;
}

void SideChannel::announce_screen(std::optional<std::string> stream_id) {
  own_screen_ = std::move(stream_id);
  for (const auto& peer : hooks_.call().peers) send(peer.key, protocol::ScreenShare{own_screen_});
}

void SideChannel::set_chat_open(bool open) {
  chat_.set_open(open);
  hooks_.changed();
}

std::vector<client::ChatEntry> SideChannel::take_new_messages() {
  return std::exchange(new_messages_, {});
}

}  // namespace videochat::app
