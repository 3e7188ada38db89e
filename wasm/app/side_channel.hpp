// What the members of a call say to each other peer to peer, over each pair's data channel, never
// through the signaling server (each server message is billed): hello, text chat and its history,
// which of a member's streams is its shared screen, raised hands. The wire format is
// protocol/peer_data.hpp.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "call_state.hpp"
#include "chat_log.hpp"
#include "peer_connections.hpp"
#include "raised_hands.hpp"

namespace videochat::app {

class SideChannel final {
 public:
  struct Hooks {
    std::function<client::CallSnapshot()> call;  // who is at the other end of each channel
    std::function<void()> changed;               // something the views or the API show changed
    std::function<void(std::string)> log;
    std::function<double()> now_ms;  // the page's clock
  };
  SideChannel(browser::PeerConnections& peers, Hooks hooks);

  // The data channel to `peer` opened, carried a message, or closed.
  void opened(client::PeerKey peer);
  void message(client::PeerKey peer, const std::string& text);
  void closed(client::PeerKey peer);
  // The peer's connection is gone (left, or replaced by a new one).
  void peer_closed(client::PeerKey peer);
  // The call is over (left the room): the chat and what the others shared are forgotten.
  void reset();

  // Sends the person's message to everyone who can chat; the refusal, in words, if it is not sent.
  std::optional<std::string> send_chat(const std::string& text, double now_ms);
  // Tells everyone which of our streams is our screen (none: sharing stopped); peers whose channel
  // opens later are told then.
  void announce_screen(std::optional<std::string> stream_id);

  // Raises or lowers our hand, for everyone to see, in the order hands went up.
  void raise_hand(bool raised);
  bool hand_raised() const { return hands_.place(kOwnHand) > 0; }
  // 1-based place in the queue of raised hands, 0 when down.
  int hand_place(client::PeerKey peer) const;
  int own_hand_place() const { return hands_.place(kOwnHand); }
  double own_hand_raised_at_ms() const { return own_hand_raised_at_ms_; }

  const client::ChatLog& chat() const { return chat_; }
  void set_chat_open(bool open);
  // Whether the member said hello: it receives chat messages.
  bool can_chat(client::PeerKey peer) const { return chat_peers_.contains(peer); }
  bool sharing_screen(client::PeerKey peer) const { return screens_.contains(peer); }
  // Messages added since the last call, oldest first (for the page's chat-message events).
  std::vector<client::ChatEntry> take_new_messages();

 private:
  void send(client::PeerKey peer, const protocol::PeerData& data);
  void on_hello(client::PeerKey peer);
  void on_chat(client::PeerKey peer, protocol::ChatMessage message);
  std::optional<client::PeerSnapshot> who(client::PeerKey peer) const;
  static std::string hand_of(client::PeerKey peer) { return "peer-" + std::to_string(peer.value); }
  static constexpr const char* kOwnHand = "self";

  browser::PeerConnections& peers_;
  Hooks hooks_;
  client::ChatLog chat_;
  std::set<client::PeerKey> chat_peers_;
  std::set<client::PeerKey> screens_;  // members sharing a screen
  std::optional<std::string> own_screen_;
  client::RaisedHands hands_;
  double own_hand_raised_at_ms_ = 0;
  std::vector<client::ChatEntry> new_messages_;
};

}  // namespace videochat::app
