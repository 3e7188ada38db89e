// Whatever a client sends: a frame the parser accepts is written back as a frame that reads as the
// same value, and reading into a reused value gives what reading afresh gives.
#include <string_view>
#include <variant>

#include "client_frames.hpp"
#include "fuzz_check.hpp"

using namespace videochat::protocol;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ParsedClientFrame parsed = parse_client_frame(text);

  // A value left over from another frame must not leak into this one.
  static ClientFrame reused = SendMsgToRoom{RoomId{"left-over"}, "left over", ConnectionId{"x"}};
  const auto error = parse_client_frame(text, reused);
  FUZZ_CHECK(error.has_value() == std::holds_alternative<ClientFrameError>(parsed));
  if (error) {
    FUZZ_CHECK(*error == std::get<ClientFrameError>(parsed));
    return 0;
  }
  const ClientFrame& frame = std::get<ClientFrame>(parsed);
  FUZZ_CHECK(reused == frame);
  const ParsedClientFrame again = parse_client_frame(to_text(frame));
  FUZZ_CHECK(std::holds_alternative<ClientFrame>(again));
  FUZZ_CHECK(std::get<ClientFrame>(again) == frame);
  return 0;
}
