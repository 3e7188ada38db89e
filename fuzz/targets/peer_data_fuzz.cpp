// Whatever another peer sends over the data channel: reading never fails hard, and a message it
// accepts is written back as one that reads as the same value.
#include <string_view>
#include <variant>

#include "fuzz_check.hpp"
#include "peer_data.hpp"

using namespace videochat::protocol;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Parsed<PeerData> parsed = parse_peer_data(text);
  const auto* message = std::get_if<PeerData>(&parsed);
  if (!message) return 0;
  const std::string written = to_text(*message);
  FUZZ_CHECK(written.size() <= kMaxPeerDataBytes);
  const Parsed<PeerData> again = parse_peer_data(written);
  FUZZ_CHECK(std::holds_alternative<PeerData>(again));
  FUZZ_CHECK(std::get<PeerData>(again) == *message);
  return 0;
}
