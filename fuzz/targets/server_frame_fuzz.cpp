// Whatever reaches the client: reading never fails hard; a server frame it accepts is written back
// as a frame that reads as the same value; a frame behind a byte-order mark is never taken.
#include <string_view>
#include <variant>

#include "fuzz_check.hpp"
#include "server_frames.hpp"

using namespace videochat::protocol;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_server_frame(text);
  const auto* frame = std::get_if<ServerFrame>(&parsed);
  if (text.starts_with("\xEF\xBB\xBF")) FUZZ_CHECK(frame == nullptr);
  if (!frame || std::holds_alternative<Relayed>(*frame)) return 0;
  const auto again = parse_server_frame(to_text(*frame));
  FUZZ_CHECK(std::holds_alternative<ServerFrame>(again));
  FUZZ_CHECK(std::get<ServerFrame>(again) == *frame);
  return 0;
}
