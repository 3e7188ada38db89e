#include "lambda_ids.hpp"

#include <sys/random.h>

#include <cstdio>
#include <stdexcept>
#include <span>
#include <vector>

#include "digest.hpp"

namespace videochat::local::lambda {

namespace {

std::vector<unsigned char> random_bytes(std::size_t count) {
  std::vector<unsigned char> bytes(count);
  std::size_t filled = 0;
  while (filled < count) {
    ssize_t got = getrandom(bytes.data() + filled, count - filled, 0);
    if (got < 0) throw std::runtime_error("getrandom failed");
    filled += static_cast<std::size_t>(got);
  }
  return bytes;
}

std::string hex(const unsigned char* bytes, std::size_t count) {
  return aws::to_hex(std::span(bytes, count));
}

}  // namespace

std::string new_lambda_request_id() {
  auto b = random_bytes(16);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return hex(&b[0], 4) + "-" + hex(&b[4], 2) + "-" + hex(&b[6], 2) + "-" + hex(&b[8], 2) + "-" +
         hex(&b[10], 6);
}

std::string new_trace_id(std::int64_t epoch_seconds) {
  auto b = random_bytes(20);
  char time[16];
  std::snprintf(time, sizeof time, "%08llx", static_cast<unsigned long long>(epoch_seconds));
  return "Root=1-" + std::string(time) + "-" + hex(&b[0], 12) + ";Parent=" + hex(&b[12], 8) +
         ";Sampled=0";
}

std::string random_hex(std::size_t bytes) {
  auto b = random_bytes(bytes);
  return hex(b.data(), b.size());
}

}  // namespace videochat::local::lambda
