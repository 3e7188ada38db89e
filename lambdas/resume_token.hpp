// Resume tokens: what lets a page that lost its connection take its own place in a room back,
// instead of being refused because its old connection still holds its peerId.
//
// A token proves three things: the server issued it (an HMAC-SHA256 under the server's secret),
// for this room and peerId, and not longer ago than its lifetime. Which holder it was issued to
// is the store's part: every join records a fresh random nonce for the joiner, the token carries
// it, and a resume may replace only a member whose recorded nonce it names (room_store.hpp). So a
// second claimant of a free peerId gets a token of its own, never the first holder's, and neither
// can evict the other with an old one.
//
// Text form: "2.<expires, epoch seconds>.<nonce, 32 hex>.<HMAC, 64 hex>", where the HMAC covers
// "videochat-resume-v2\n" + roomId + "\n" + peerId + "\n" + expires + "\n" + nonce.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "identifiers.hpp"

namespace videochat::lambdas {

// The shortest secret the edges accept: 32 bytes, as many as the HMAC's output.
inline constexpr std::size_t kMinResumeSecretBytes = 32;
// Where the Lambda function finds the secret (template.yaml maps its ResumeSecret parameter here).
inline constexpr std::string_view kResumeSecretVariable = "RESUME_SECRET";
// How long a token is good for: just over the two hours API Gateway lets a connection live, so a
// page cut off at that limit still resumes with the token it got when it joined.
inline constexpr std::chrono::seconds kDefaultResumeTokenLifetime{2 * 3600 + 10 * 60};

// 16 random bytes (the kernel's, getrandom) as 32 lowercase hex characters.
std::string new_resume_nonce();

std::string resume_token(std::string_view secret, const protocol::RoomId& room,
                         const protocol::PeerId& peer, std::string_view nonce,
                         std::int64_t expires_at_s);

// The nonce of `token` when the server issued it for this room and peerId and it has not expired
// at `now_s`; nothing otherwise. The HMAC is compared in constant time.
std::optional<std::string> resume_token_nonce(std::string_view secret, const protocol::RoomId& room,
                                              const protocol::PeerId& peer, std::string_view token,
                                              std::int64_t now_s);

}  // namespace videochat::lambdas
