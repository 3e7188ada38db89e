// The room's text chat as this page shows it: the messages kept, in order, de-duplicated by id,
// what is unread while the panel is closed, and the history a newcomer is sent. Pure: the adapter
// passes in what arrives on the data channels and what the person types.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "peer_data.hpp"

namespace videochat::client {

struct ChatEntry {
  std::string id;
  std::string author_peer_id;  // the author's peer id ("" for a peer without one)
  std::string author_name;
  std::string text;
  double sent_at_ms = 0;  // the author's clock
  bool own = false;       // written by this page's person
  // Name of the member who relayed it as history (it could have altered it); none for live
  // messages.
  std::optional<std::string> relayed_by;

  friend bool operator==(const ChatEntry&, const ChatEntry&) = default;
};

// Why a text the person typed is not sent.
enum class ChatRefusal { Empty, TooLong, NotText };
std::string_view to_string(ChatRefusal refusal);

// Nothing when `text` can be sent: empty or only (ASCII) whitespace is Empty, more than
// protocol::kMaxChatTextBytes bytes TooLong, not UTF-8 (or holding a control character other than
// tab and line breaks, protocol::chat_text_problem) NotText.
std::optional<ChatRefusal> check_chat_text(std::string_view text);

class ChatLog final {
 public:
  static constexpr std::size_t kKept = 100;  // the last this many messages are kept (and relayed)
  // Ids remembered after their message left the log, so that it is not taken again when it comes
  // back as history.
  static constexpr std::size_t kRememberedIds = 1000;

  // A live message (own, or received on the author's own channel), appended at the end. False
  // (and nothing changes) when the id is already known.
  bool add(ChatEntry entry);
  // A message relayed as history: inserted after the last entry whose sent_at_ms <= its own
  // (stable), so history lands before what was said after it. False when the id is known, or
  // when the log is full and the message is older than everything kept (it is not kept, but its
  // id is remembered).
  bool add_relayed(ChatEntry entry);
  // Whether a message with this id is in the log or was seen recently.
  bool knows(std::string_view id) const;

  const std::vector<ChatEntry>& entries() const { return entries_; }  // oldest first

  // Unread: entries not own, added (live or relayed) while the panel was closed and still kept.
  void set_open(bool open);  // opening marks everything read
  bool open() const { return open_; }
  int unread() const { return unread_count_; }

  // The history to relay to a newcomer: every entry, oldest first, with its author (own entries
  // authored by `own_peer_id` and `own_name`).
  std::vector<protocol::ChatMessage> history(const std::string& own_peer_id,
                                             const std::string& own_name) const;

 private:
  void insert(std::size_t at, ChatEntry entry);
  void remember(const std::string& id);

  std::vector<ChatEntry> entries_;
  std::vector<bool> unread_;  // beside entries_
  int unread_count_ = 0;
  bool open_ = false;
  std::deque<std::string> remembered_order_;  // oldest first, at most kRememberedIds
  std::set<std::string> remembered_;
};

// Whether this member relays the history to `newcomer`: among the members that can chat (this
// member's own peer id plus `chat_members`, the peer ids of the others whose hello arrived),
// excluding the newcomer, this member has the smallest peer id. Every member decides alike from
// the same room, so one member sends it.
bool relays_history_to(const std::string& own_peer_id, const std::vector<std::string>& chat_members,
                       const std::string& newcomer);

}  // namespace videochat::client
