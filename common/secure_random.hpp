// Bytes from the kernel's random generator (getrandom(2)): salts, nonces, connection ids. The
// kernel's generator is the one every library's seeds from; asking it directly costs one system
// call and needs no library to be set up first.
#pragma once

#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <span>
#include <system_error>

namespace videochat {

// Fills `out`; throws std::system_error when the kernel refuses (it does not, once booted).
inline void fill_random(std::span<unsigned char> out) {
  std::size_t filled = 0;
  while (filled < out.size()) {
    const ssize_t got = getrandom(out.data() + filled, out.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    filled += static_cast<std::size_t>(got);
  }
}

}  // namespace videochat
