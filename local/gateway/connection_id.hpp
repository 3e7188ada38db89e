// Connection ids that look like API Gateway's ("L0SM9cOFvHcCIhw="): 11 random bytes from the
// kernel's CSPRNG in URL-safe base64 with padding, so they are unguessable and safe in URLs.
#pragma once

#include <span>
#include <string>

namespace videochat::local {

std::string base64url_padded(std::span<const unsigned char> bytes);
std::string new_connection_id();
// A random id for requestId/messageId fields (not security sensitive, but unique).
std::string new_request_id();

}  // namespace videochat::local
