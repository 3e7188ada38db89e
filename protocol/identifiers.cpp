#include "identifiers.hpp"

#include <algorithm>

#include "text_encoding.hpp"

namespace videochat::protocol {

namespace {

// Bytes below 0x80 are whole characters in UTF-8, so a byte test finds exactly the controls
// U+0000-U+001F and U+007F.
bool has_ascii_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

bool is_room_id_ascii(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool is_valid_room_id(std::string_view candidate) {
  if (candidate.empty() || candidate.size() > kMaxRoomIdBytes) return false;
  for (std::size_t at = 0; at < candidate.size();) {
    const auto byte = static_cast<unsigned char>(candidate[at]);
    if (byte < 0x80) {
      if (!is_room_id_ascii(candidate[at])) return false;
      ++at;
      continue;
    }
    const std::size_t length = utf8_sequence_length(candidate, at);
    if (length == 0) return false;
    // U+0080-U+009F, the C1 controls, are C2 80 to C2 9F.
    if (byte == 0xC2 && static_cast<unsigned char>(candidate[at + 1]) < 0xA0) return false;
    at += length;
  }
  return true;
}

std::optional<RoomId> parse_room_id(std::string_view candidate) {
  if (!is_valid_room_id(candidate)) return std::nullopt;
  return RoomId{std::string(candidate)};
}

bool is_valid_peer_id(std::string_view candidate) {
  if (candidate.size() != kPeerIdLength) return false;
  return std::all_of(candidate.begin(), candidate.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<PeerId> parse_peer_id(std::string_view candidate) {
  if (!is_valid_peer_id(candidate)) return std::nullopt;
  return PeerId{std::string(candidate)};
}

std::optional<NameProblem> check_name(std::string_view candidate) {
  if (candidate.empty()) return NameProblem::Empty;
  if (candidate.size() > kMaxNameBytes) return NameProblem::TooLong;
  if (!is_utf8(candidate)) return NameProblem::InvalidUtf8;
  if (has_ascii_control(candidate)) return NameProblem::ControlCharacter;
  return std::nullopt;
}

std::string_view describe(NameProblem problem) {
  switch (problem) {
    case NameProblem::Empty:
      return "name must not be empty (leave it out instead)";
    case NameProblem::TooLong:
      return "name must be at most 64 bytes of UTF-8";
    case NameProblem::InvalidUtf8:
      return "name must be valid UTF-8";
    case NameProblem::ControlCharacter:
      return "name must not contain control characters (U+0000-U+001F, U+007F)";
  }
  return "name is invalid";
}

std::optional<PasscodeProblem> check_passcode(std::string_view candidate) {
  if (!is_utf8(candidate)) return PasscodeProblem::InvalidUtf8;
  // In valid UTF-8 every character has exactly one byte that is not a continuation byte.
  const auto characters = static_cast<std::size_t>(std::count_if(
      candidate.begin(), candidate.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  if (characters < kMinPasscodeCharacters) return PasscodeProblem::TooShort;
  if (characters > kMaxPasscodeCharacters) return PasscodeProblem::TooLong;
  if (has_ascii_control(candidate)) return PasscodeProblem::ControlCharacter;
  return std::nullopt;
}

std::string_view describe(PasscodeProblem problem) {
  switch (problem) {
    case PasscodeProblem::TooShort:
      return "passcode must be at least 4 characters";
    case PasscodeProblem::TooLong:
      return "passcode must be at most 64 characters";
    case PasscodeProblem::InvalidUtf8:
      return "passcode must be valid UTF-8";
    case PasscodeProblem::ControlCharacter:
      return "passcode must not contain control characters (U+0000-U+001F, U+007F)";
  }
  return "passcode is invalid";
}

}  // namespace videochat::protocol
