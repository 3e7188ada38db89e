#include "frame_scanner.hpp"

#include <algorithm>

namespace videochat::local {

void FrameScanner::header_complete() {
  if (long_length_ && (payload_length_ >> 63) != 0) {
    invalid_length_ = true;
    return;
  }
  largest_ = std::max(largest_, payload_length_);
  if (payload_length_ > max_payload_) exceeded_ = true;
  payload_left_ = payload_length_;
  if (masked_) {
    mask_bytes_left_ = 4;
    state_ = State::MaskKey;
  } else {
    state_ = payload_left_ > 0 ? State::Payload : State::FirstByte;
  }
}

void FrameScanner::feed(const unsigned char* data, std::size_t size) {
  std::size_t i = 0;
  while (i < size && !invalid_length_) {
    switch (state_) {
      case State::FirstByte:
        ++i;  // FIN, RSV and opcode: not needed to find the next header
        state_ = State::LengthByte;
        break;
      case State::LengthByte: {
        unsigned char byte = data[i++];
        masked_ = (byte & 0x80) != 0;
        unsigned length7 = byte & 0x7f;
        long_length_ = length7 == 127;
        if (length7 < 126) {
          payload_length_ = length7;
          header_complete();
        } else {
          extended_bytes_left_ = length7 == 126 ? 2 : 8;
          payload_length_ = 0;
          state_ = State::ExtendedLength;
        }
        break;
      }
      case State::ExtendedLength:
        payload_length_ = (payload_length_ << 8) | data[i++];
        if (--extended_bytes_left_ == 0) header_complete();
        break;
      case State::MaskKey:
        ++i;
        if (--mask_bytes_left_ == 0) state_ = payload_left_ > 0 ? State::Payload : State::FirstByte;
        break;
      case State::Payload: {
        std::uint64_t skip = std::min<std::uint64_t>(payload_left_, size - i);
        i += static_cast<std::size_t>(skip);
        payload_left_ -= skip;
        if (payload_left_ == 0) state_ = State::FirstByte;
        break;
      }
    }
  }
}

}  // namespace videochat::local
