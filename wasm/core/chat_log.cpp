#include "chat_log.hpp"

#include <algorithm>
#include <utility>

namespace videochat::client {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view to_string(ChatRefusal refusal) {
  switch (refusal) {
    case ChatRefusal::Empty:
      return "empty";
    case ChatRefusal::TooLong:
      return "too_long";
    case ChatRefusal::NotText:
      return "not_text";
  }
  return "not_text";
}

std::optional<ChatRefusal> check_chat_text(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), is_ascii_space)) return ChatRefusal::Empty;
  const auto problem = protocol::chat_text_problem(text);
  if (!problem) return std::nullopt;
  switch (*problem) {
    case protocol::ChatTextProblem::Empty:
      return ChatRefusal::Empty;
    case protocol::ChatTextProblem::TooLong:
      return ChatRefusal::TooLong;
    case protocol::ChatTextProblem::NotUtf8:
    case protocol::ChatTextProblem::ControlCharacter:
      return ChatRefusal::NotText;
  }
  return std::nullopt;
}

bool ChatLog::add(ChatEntry entry) {
  if (knows(entry.id)) return false;
  insert(entries_.size(), std::move(entry));
  return true;
}

bool ChatLog::add_relayed(ChatEntry entry) {
  if (knows(entry.id)) return false;
  const auto later = std::find_if(entries_.rbegin(), entries_.rend(), [&](const ChatEntry& kept) {
    return kept.sent_at_ms <= entry.sent_at_ms;
  });
  const auto at = static_cast<std::size_t>(entries_.rend() - later);
  if (at == 0 && entries_.size() >= kKept) {
    remember(entry.id);
    return false;
  }
  insert(at, std::move(entry));
  return true;
}

bool ChatLog::knows(std::string_view id) const {
  // The log is searched too: an entry can outlive its remembered id when many older messages
  // arrive as history after it (each lands before it and is dropped at once).
  return remembered_.count(std::string(id)) != 0 ||
         std::any_of(entries_.begin(), entries_.end(),
                     [&](const ChatEntry& kept) { return kept.id == id; });
}

void ChatLog::set_open(bool open) {
  open_ = open;
  if (!open) return;
  std::fill(unread_.begin(), unread_.end(), false);
  unread_count_ = 0;
}

std::vector<protocol::ChatMessage> ChatLog::history(const std::string& own_peer_id,
                                                    const std::string& own_name) const {
  std::vector<protocol::ChatMessage> messages;
  messages.reserve(entries_.size());
  for (const ChatEntry& entry : entries_) {
    protocol::ChatAuthor author =
        entry.own ? protocol::ChatAuthor{own_peer_id, own_name}
                  : protocol::ChatAuthor{entry.author_peer_id, entry.author_name};
    messages.push_back({entry.id, entry.text, entry.sent_at_ms, std::move(author)});
  }
  return messages;
}

void ChatLog::insert(std::size_t at, ChatEntry entry) {
  remember(entry.id);
  const bool unread = !open_ && !entry.own;
  entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(at), std::move(entry));
  unread_.insert(unread_.begin() + static_cast<std::ptrdiff_t>(at), unread);
  if (unread) ++unread_count_;
  if (entries_.size() > kKept) {
    if (unread_.front()) --unread_count_;
    entries_.erase(entries_.begin());
    unread_.erase(unread_.begin());
  }
}

void ChatLog::remember(const std::string& id) {
  if (!remembered_.insert(id).second) return;
  remembered_order_.push_back(id);
  if (remembered_order_.size() > kRememberedIds) {
    remembered_.erase(remembered_order_.front());
    remembered_order_.pop_front();
  }
}

bool relays_history_to(const std::string& own_peer_id, const std::vector<std::string>& chat_members,
                       const std::string& newcomer) {
  if (own_peer_id == newcomer) return false;
  return std::none_of(chat_members.begin(), chat_members.end(), [&](const std::string& member) {
    return member != newcomer && member < own_peer_id;
  });
}

}  // namespace videochat::client
