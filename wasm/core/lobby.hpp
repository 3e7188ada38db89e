// The lobby's pure rules: room ids a person can type or share, the room named in a page's link,
// and how long to wait before reconnecting to the signaling server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace videochat::client {

// A room id that is easy to read aloud and hard to guess: 10 characters of a-z and 2-9 without
// look-alikes (no 0/o, 1/l/i), from the given random bytes (at least 10).
std::string random_room_id(std::span<const std::uint8_t> random_bytes);

// The last parameter `name` of a URL's query string (`location.search`, with or without '?'),
// percent-decoded; nothing when absent or not decodable.
std::optional<std::string> query_parameter(std::string_view search, std::string_view name);
// The `room` parameter of a URL's query string (`location.search`, with or without '?'),
// percent-decoded, when it is a valid room id.
std::optional<std::string> room_from_query(std::string_view search);

// The link that opens the lobby with `room` filled in: `page` is the page's URL without query or
// fragment. A passcode travels in the fragment (#passcode=…), which browsers never send to a
// server: it stays out of server logs, proxies and Referer headers.
std::string room_link(std::string_view page, std::string_view room,
                      std::string_view passcode = {});
// The passcode in a URL's fragment (`location.hash`, with or without '#'), percent-decoded.
std::optional<std::string> passcode_from_fragment(std::string_view hash);

// Why a typed room id cannot be joined, or nothing when it can.
std::optional<std::string> room_id_problem(std::string_view room);
// Why a typed passcode cannot be used (empty is none: fine), or nothing when it can.
std::optional<std::string> passcode_problem(std::string_view passcode);

// The name to announce to the room: control characters dropped, spaces trimmed, cut to the
// server's 64 bytes without splitting a UTF-8 sequence.
inline constexpr std::size_t kMaxNameBytes = 64;
std::string display_name(std::string_view typed);

// Reconnect delays: 0.5 s doubling to 15 s, each shortened by up to 30 % at random (`jitter` in
// [0, 1)) so that clients dropped together do not return together.
double reconnect_delay_ms(int attempt, double jitter);

}  // namespace videochat::client
