// The WebSocket frame scanner sees bytes as TCP delivers them, cut anywhere: fed the same bytes in
// two pieces it must decide as it does fed them at once.
#include <cstdint>

#include "frame_scanner.hpp"
#include "fuzz_check.hpp"

using videochat::local::FrameScanner;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose the limit and where the stream is cut; the rest is the stream.
  const std::uint64_t limit = std::uint64_t{1} << (data[0] % 40);
  const std::size_t cut = size > 2 ? data[1] % (size - 2) : 0;
  const unsigned char* stream = data + 2;
  const std::size_t length = size - 2;

  FrameScanner whole(limit);
  whole.feed(stream, length);
  FrameScanner pieces(limit);
  pieces.feed(stream, cut);
  pieces.feed(stream + cut, length - cut);
  FUZZ_CHECK(whole.exceeded() == pieces.exceeded());
  return 0;
}
