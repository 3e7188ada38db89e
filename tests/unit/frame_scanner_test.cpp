// FrameScanner over real masked client frames (RFC 6455 section 5.2): it finds each frame's
// payload length with 7-, 16- and 64-bit encodings, however the bytes are split into reads, and
// flags a frame whose payload is over the limit.
#include "frame_scanner.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

namespace {

using videochat::local::FrameScanner;
using Bytes = std::vector<unsigned char>;

// A masked client text frame with `payload_size` bytes of payload. The bytes on the wire are all
// 0xff, which would read as a 64-bit length if the scanner mistook payload for a header.
Bytes client_frame(std::uint64_t payload_size) {
  Bytes frame{0x81};  // FIN + text
  if (payload_size < 126) {
    frame.push_back(static_cast<unsigned char>(0x80 | payload_size));
  } else if (payload_size <= 0xffff) {
    frame.push_back(0x80 | 126);
    for (int shift = 8; shift >= 0; shift -= 8) frame.push_back((payload_size >> shift) & 0xff);
  } else {
    frame.push_back(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back((payload_size >> shift) & 0xff);
  }
  frame.insert(frame.end(), {0x37, 0xfa, 0x21, 0x3d});  // masking key
  frame.insert(frame.end(), payload_size, 0xff);
  return frame;
}

Bytes concat(std::initializer_list<Bytes> frames) {
  Bytes out;
  for (const auto& frame : frames) out.insert(out.end(), frame.begin(), frame.end());
  return out;
}

FrameScanner scan_whole(const Bytes& bytes, std::uint64_t limit) {
  FrameScanner scanner(limit);
  scanner.feed(bytes.data(), bytes.size());
  return scanner;
}

FrameScanner scan_byte_by_byte(const Bytes& bytes, std::uint64_t limit) {
  FrameScanner scanner(limit);
  for (unsigned char byte : bytes) scanner.feed(&byte, 1);
  return scanner;
}

}  // namespace

TEST_SUITE("FrameScanner") {
  TEST_CASE("a frame whose payload is exactly the limit passes; one byte more is flagged") {
    // 125: the largest 7-bit length; 126 and 65535: 16-bit; 65536: 64-bit.
    for (std::uint64_t size : {0ull, 1ull, 125ull, 126ull, 65535ull, 65536ull}) {
      CAPTURE(size);
      Bytes frame = client_frame(size);
      CHECK_FALSE(scan_whole(frame, size).exceeded());
      CHECK_FALSE(scan_byte_by_byte(frame, size).exceeded());
      if (size > 0) {
        CHECK(scan_whole(frame, size - 1).exceeded());
        CHECK(scan_byte_by_byte(frame, size - 1).exceeded());
      }
      CHECK(scan_whole(frame, size).largest_payload() == size);
      CHECK(scan_byte_by_byte(frame, size).largest_payload() == size);
    }
  }

  TEST_CASE("a 64-bit length over the limit is flagged from the header alone") {
    Bytes header = client_frame(0);
    header[1] = 0x80 | 127;
    header.insert(header.begin() + 2, {0, 0, 0, 1, 0, 0, 0, 0});  // 2^32 bytes, never sent
    FrameScanner scanner = scan_whole(header, 32 * 1024);
    CHECK(scanner.exceeded());
    CHECK(scanner.largest_payload() == (1ull << 32));
  }

  TEST_CASE("a 64-bit length with its top bit set is a protocol error, not an oversized frame") {
    Bytes header = client_frame(0);
    header[1] = 0x80 | 127;
    header.insert(header.begin() + 2, {0x80, 0, 0, 0, 0, 0, 0, 0x10});
    for (auto scanner : {scan_whole(header, 32 * 1024), scan_byte_by_byte(header, 32 * 1024)}) {
      CHECK(scanner.invalid_length());
      CHECK_FALSE(scanner.exceeded());
    }
    // The same top bit in a 16-bit length is an ordinary size (32,768 bytes).
    Bytes medium = client_frame(0x8000);
    CHECK_FALSE(scan_whole(medium, 0x8000).invalid_length());
    // And just under it, a 64-bit length is only too large.
    Bytes largest = client_frame(0);
    largest[1] = 0x80 | 127;
    largest.insert(largest.begin() + 2, {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
    FrameScanner scanner = scan_whole(largest, 32 * 1024);
    CHECK_FALSE(scanner.invalid_length());
    CHECK(scanner.exceeded());
  }

  TEST_CASE("frames back to back are each measured; the largest is remembered") {
    Bytes stream = concat({client_frame(10), client_frame(0), client_frame(300), client_frame(5)});
    SUBCASE("whole") {
      CHECK(scan_whole(stream, 300).largest_payload() == 300);
      CHECK_FALSE(scan_whole(stream, 300).exceeded());
      CHECK(scan_whole(stream, 299).exceeded());
    }
    SUBCASE("byte by byte") {
      CHECK(scan_byte_by_byte(stream, 300).largest_payload() == 300);
      CHECK_FALSE(scan_byte_by_byte(stream, 300).exceeded());
      CHECK(scan_byte_by_byte(stream, 299).exceeded());
    }
  }

  TEST_CASE("reads split at every possible point give the same result") {
    Bytes stream = concat({client_frame(126), client_frame(3), client_frame(70000)});
    for (std::size_t split = 0; split <= 140; ++split) {
      CAPTURE(split);
      FrameScanner scanner(69999);
      scanner.feed(stream.data(), split);
      scanner.feed(stream.data() + split, stream.size() - split);
      CHECK(scanner.exceeded());
      CHECK(scanner.largest_payload() == 70000);
    }
  }

  TEST_CASE("once flagged, later small frames do not clear the flag") {
    FrameScanner scanner = scan_whole(concat({client_frame(200), client_frame(1)}), 100);
    CHECK(scanner.exceeded());
  }

  TEST_CASE("a new limit applies to the frames that follow") {
    FrameScanner scanner(1000);
    Bytes first = client_frame(500);
    scanner.feed(first.data(), first.size());
    CHECK_FALSE(scanner.exceeded());
    scanner.set_limit(100);
    Bytes second = client_frame(101);
    scanner.feed(second.data(), second.size());
    CHECK(scanner.exceeded());
  }

  TEST_CASE("an unmasked frame (no masking key) is measured too") {
    Bytes frame{0x82, 5, 0xff, 0xff, 0xff, 0xff, 0xff};
    Bytes stream = concat({frame, client_frame(7)});
    FrameScanner scanner = scan_whole(stream, 6);
    CHECK(scanner.exceeded());
    CHECK(scanner.largest_payload() == 7);
  }
}
