// Room passcodes at rest: the store keeps a salted PBKDF2-HMAC-SHA256 hash (OpenSSL's), never the
// passcode, and nothing logs either. Whoever reads the table (a backup, a leaked dump) must still
// guess each room's passcode against its own salt, at this cost per guess.
//
// Record form: "pbkdf2-sha256$<iterations>$<salt, 32 hex>$<hash, 64 hex>". The iterations travel
// with the record, so a later build may raise them without stranding rooms in progress.
#pragma once

#include <string>
#include <string_view>

namespace videochat::lambdas {

// 50,000 iterations: about 25 ms on one core of a 2020s server, about 0.2 s in a 256 MB Lambda
// function (a seventh of a vCPU), paid once per join into a room with a passcode. OWASP's 600,000
// would cost that function over 2 s a join. Passcodes are short and spoken aloud anyway: what
// holds guessers off is the attempt limit (passcode_attempts.hpp); the hash keeps a stolen table
// from giving passcodes away for free.
inline constexpr unsigned kPasscodeIterations = 50'000;

// The record for `passcode` (already in NFC) with a fresh random salt.
std::string hash_passcode(std::string_view passcode, unsigned iterations = kPasscodeIterations);

// Whether `passcode` is the one `record` was made from, compared in constant time. A record that is
// not in the form above matches nothing.
bool passcode_matches(std::string_view passcode, std::string_view record);

// PBKDF2-HMAC-SHA256 of `passcode` with `salt`, as 64 hex characters: the record's last part.
// Exposed for the published test vectors.
std::string pbkdf2_sha256_hex(std::string_view passcode, std::string_view salt,
                              unsigned iterations);

}  // namespace videochat::lambdas
