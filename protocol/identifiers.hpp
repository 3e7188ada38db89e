// The identifiers and names the signaling protocol carries, and the rules that make them valid.
// Pure C++, built by the WASM client, the handlers and the native tests alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace videochat::protocol {

// A typed string so that a room id can never be passed where a connection id is expected.
template <class Tag>
struct Id {
  std::string value;

  friend bool operator==(const Id&, const Id&) = default;
  friend auto operator<=>(const Id&, const Id&) = default;
};

struct ConnectionIdTag {};
struct RoomIdTag {};
struct PeerIdTag {};
using ConnectionId = Id<ConnectionIdTag>;
using RoomId = Id<RoomIdTag>;
// A page's own random id, kept across reconnects (a connection id changes with every socket), so
// that a returning participant can be recognised and its old connection replaced.
using PeerId = Id<PeerIdTag>;

// Room ids are what people type, in any script: 1 to 128 bytes of UTF-8 whose ASCII characters
// are A-Z a-z 0-9 _ - (the tutorial's ids, unchanged) and with no control character. This is
// the shape both ends check; the server also holds other scripts to its Unicode rules
// (lambdas/room_id_policy.hpp: normalized to NFC, nothing invisible). Links carry them
// percent-encoded. 128 bytes is far under DynamoDB's 2048-byte key limit.
inline constexpr std::size_t kMaxRoomIdBytes = 128;
bool is_valid_room_id(std::string_view candidate);
std::optional<RoomId> parse_room_id(std::string_view candidate);

// Peer ids are exactly 32 lowercase hex characters: 128 random bits, written one way only, so two
// spellings of the same id cannot both claim a place in a room.
inline constexpr std::size_t kPeerIdLength = 32;
bool is_valid_peer_id(std::string_view candidate);
std::optional<PeerId> parse_peer_id(std::string_view candidate);

// Display names are 1 to 64 bytes of UTF-8 without control characters (U+0000-U+001F, U+007F):
// they are shown on other people's screens and written to logs.
inline constexpr std::size_t kMaxNameBytes = 64;
enum class NameProblem { Empty, TooLong, InvalidUtf8, ControlCharacter };
// Nothing when `candidate` is an acceptable name, else what is wrong with it.
std::optional<NameProblem> check_name(std::string_view candidate);
// A sentence for the person who chose the name, e.g. "name must be at most 64 bytes of UTF-8".
std::string_view describe(NameProblem problem);

// Room passcodes are what people type and say to each other: 4 to 64 characters (code points) of
// UTF-8 without control characters. The server compares them in NFC, so the same word typed on
// two keyboards is the same passcode; it keeps only a salted hash (lambdas/passcode_hash.hpp).
inline constexpr std::size_t kMinPasscodeCharacters = 4;
inline constexpr std::size_t kMaxPasscodeCharacters = 64;
enum class PasscodeProblem { TooShort, TooLong, InvalidUtf8, ControlCharacter };
std::optional<PasscodeProblem> check_passcode(std::string_view candidate);
// "passcode must be at least 4 characters", ...
std::string_view describe(PasscodeProblem problem);

}  // namespace videochat::protocol
