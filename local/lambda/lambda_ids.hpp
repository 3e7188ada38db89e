// Ids in the shapes Lambda uses: request ids are UUIDs, trace ids X-Ray's "Root=1-…".
#pragma once

#include <cstdint>
#include <string>

namespace videochat::local::lambda {

std::string new_lambda_request_id();
std::string new_trace_id(std::int64_t epoch_seconds);
// `bytes` random bytes from the kernel's CSPRNG, as hex: secrets.
std::string random_hex(std::size_t bytes);

}  // namespace videochat::local::lambda
