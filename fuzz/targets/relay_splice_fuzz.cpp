// Relay safety: no message a member sends reaches another member in a form our client's parser
// reads as a JSON object without the server's `from`. Either the relay refuses it, or it goes out
// spliced (an object whose `from` and `fromPeer` are the server's), or it goes out verbatim, and
// then nlohmann does not read it as an object.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "relay_message.hpp"

using videochat::lambdas::RelayKind;
using videochat::lambdas::with_sender;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const videochat::protocol::ConnectionId from{"sender-connection="};
  const std::optional<videochat::protocol::PeerId> peer =
      size % 2 ? std::optional(videochat::protocol::PeerId{"0123456789abcdef0123456789abcdef"})
               : std::nullopt;
  std::string out = "left over from the last message";
  switch (with_sender(message, from, peer, out)) {
    case RelayKind::Refused:
      FUZZ_CHECK(!out.empty());  // the sender is told why
      break;
    case RelayKind::Verbatim: {
      const auto read = nlohmann::json::parse(message, nullptr, /*allow_exceptions=*/false);
      FUZZ_CHECK(read.is_discarded() || !read.is_object());
      break;
    }
    case RelayKind::Spliced: {
      const auto read = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
      FUZZ_CHECK(read.is_object());
      FUZZ_CHECK(read.at("from") == from.value);
      FUZZ_CHECK(peer ? read.at("fromPeer") == peer->value : !read.contains("fromPeer"));
      break;
    }
  }
  return 0;
}
