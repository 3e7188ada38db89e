// Ids nobody can guess or repeat: the page's peerId, a chat message's id.
#pragma once

#include <string>

namespace videochat::browser {

// 128 random bits from the browser's CSPRNG (crypto.getRandomValues), as 32 lowercase hex digits.
std::string random_id();

}  // namespace videochat::browser
