#include "lobby.hpp"

#include <algorithm>
#include <cmath>

#include "identifiers.hpp"
#include "text_encoding.hpp"
#include "texts.hpp"

namespace videochat::client {

std::string random_room_id(std::span<const std::uint8_t> random_bytes) {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string id;
  for (std::size_t i = 0; i < random_bytes.size() && id.size() < 10; ++i) {
    id += kAlphabet[random_bytes[i] % kAlphabet.size()];
  }
  return id;
}

std::optional<std::string> query_parameter(std::string_view search, std::string_view name) {
  if (!search.empty() && search.front() == '?') search.remove_prefix(1);
  std::optional<std::string> found;
  while (!search.empty()) {
    std::size_t amp = search.find('&');
    std::string_view pair = search.substr(0, amp);
    search = amp == std::string_view::npos ? std::string_view() : search.substr(amp + 1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    if (auto value = protocol::percent_decode(pair.substr(eq + 1), /*plus_is_space=*/true)) {
      found = std::move(value);
    }
  }
  return found;
}

std::optional<std::string> room_from_query(std::string_view search) {
  auto room = query_parameter(search, "room");
  if (room && !protocol::is_valid_room_id(*room)) return std::nullopt;
  return room;
}

std::string room_link(std::string_view page, std::string_view room, std::string_view passcode) {
  // Room ids in other scripts than ASCII travel percent-encoded; the tutorial's ids are unchanged.
  std::string link = std::string(page) + "?room=" + protocol::percent_encode(room);
  if (!passcode.empty()) link += "#passcode=" + protocol::percent_encode(passcode);
  return link;
}

std::optional<std::string> passcode_from_fragment(std::string_view hash) {
  if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
  auto passcode = query_parameter(hash, "passcode");
  if (passcode && passcode->empty()) return std::nullopt;
  return passcode;
}

std::optional<std::string> passcode_problem(std::string_view passcode) {
  if (passcode.empty() || !protocol::check_passcode(passcode)) return std::nullopt;
  return tr(Text::kPasscodeRules);
}

std::optional<std::string> room_id_problem(std::string_view room) {
  if (room.empty()) return tr(Text::kRoomEmpty);
  if (room.size() > protocol::kMaxRoomIdBytes) return tr(Text::kRoomTooLong);
  if (!protocol::is_valid_room_id(room)) return tr(Text::kRoomBadCharacters);
  return std::nullopt;
}

double reconnect_delay_ms(int attempt, double jitter) {
  double base = 500.0 * std::pow(2.0, std::clamp(attempt, 0, 10));
  base = std::min(base, 15000.0);
  return base * (1.0 - 0.3 * std::clamp(jitter, 0.0, 1.0));
}

std::string display_name(std::string_view typed) {
  std::string name;
  for (unsigned char c : typed) {
    if (c < 0x20 || c == 0x7f) continue;
    name += static_cast<char>(c);
  }
  auto first = name.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  name = name.substr(first, name.find_last_not_of(' ') - first + 1);
  if (name.size() > kMaxNameBytes) {
    std::size_t end = kMaxNameBytes;
    // Back up over continuation bytes (10xxxxxx) to the start of the cut sequence.
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    name.resize(end);
    name = name.substr(0, name.find_last_not_of(' ') + 1);
  }
  return name;
}

}  // namespace videochat::client
