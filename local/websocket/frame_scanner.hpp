// Watches the bytes a client sends on a WebSocket and reports a frame whose payload exceeds the
// limit. Beast enforces a limit per message but not per frame, and API Gateway has both (32 KB a
// frame, 128 KB a message), so the emulator reads frame headers itself as the bytes go by.
#pragma once

#include <cstddef>
#include <cstdint>

namespace videochat::local {

class FrameScanner {
 public:
  explicit FrameScanner(std::uint64_t max_frame_payload) : max_payload_(max_frame_payload) {}

  void feed(const unsigned char* data, std::size_t size);

  bool exceeded() const { return exceeded_; }
  // A 64-bit payload length with its most significant bit set, which RFC 6455 (5.2) forbids: a
  // protocol error (1002), whatever the size limit. Scanning stops there: what follows is no frame.
  bool invalid_length() const { return invalid_length_; }
  std::uint64_t largest_payload() const { return largest_; }
  void set_limit(std::uint64_t max_frame_payload) { max_payload_ = max_frame_payload; }

 private:
  enum class State { FirstByte, LengthByte, ExtendedLength, MaskKey, Payload };

  void header_complete();

  std::uint64_t max_payload_;
  State state_ = State::FirstByte;
  bool masked_ = false;
  unsigned extended_bytes_left_ = 0;
  unsigned mask_bytes_left_ = 0;
  std::uint64_t payload_length_ = 0;
  std::uint64_t payload_left_ = 0;
  std::uint64_t largest_ = 0;
  bool exceeded_ = false;
  bool invalid_length_ = false;
  bool long_length_ = false;  // the length being read is the 64-bit one
};

}  // namespace videochat::local
