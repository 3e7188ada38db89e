#include "identifiers.hpp"

#include <algorithm>

namespace videochat::protocol {

bool is_valid_room_id(std::string_view candidate) {
  if (candidate.empty() || candidate.size() > kMaxRoomIdLength) return false;
  return std::all_of(candidate.begin(), candidate.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
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

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) low = 0xA0;   // overlong
      if (byte == 0xED) high = 0x9F;  // surrogates
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) low = 0x90;   // overlong
      if (byte == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return false;
    }
    i += length;
  }
  return true;
}

std::optional<NameProblem> check_name(std::string_view candidate) {
  if (candidate.empty()) return NameProblem::Empty;
  if (candidate.size() > kMaxNameBytes) return NameProblem::TooLong;
  if (!is_utf8(candidate)) return NameProblem::InvalidUtf8;
  // Bytes below 0x80 are whole characters in UTF-8, so a byte test finds exactly the controls.
  if (std::any_of(candidate.begin(), candidate.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
      })) {
    return NameProblem::ControlCharacter;
  }
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

}  // namespace videochat::protocol
