// Resume tokens: what lets a page that lost its connection take its own place in a room back,
// instead of being refused because its old connection still holds its peerId. A token is the
// lowercase hex HMAC-SHA256, under the server's secret, of "videochat-resume-v1\n" + roomId + "\n"
// + peerId: only a page the server told it to (in `joined`) can present it.
#pragma once

#include <string>
#include <string_view>

#include "identifiers.hpp"

namespace videochat::lambdas {

// The shortest secret the edges accept: 32 bytes, as many as the HMAC's output.
inline constexpr std::size_t kMinResumeSecretBytes = 32;
// Where the Lambda function finds the secret (template.yaml maps its ResumeSecret parameter here).
inline constexpr std::string_view kResumeSecretVariable = "RESUME_SECRET";

std::string resume_token(std::string_view secret, const protocol::RoomId& room,
                         const protocol::PeerId& peer);

// Compared in constant time, so the answer's timing says nothing about how much of a guess matched.
bool is_valid_resume_token(std::string_view secret, const protocol::RoomId& room,
                           const protocol::PeerId& peer, std::string_view token);

}  // namespace videochat::lambdas
