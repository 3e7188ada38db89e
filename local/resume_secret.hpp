// Where videochat-local's resume secret comes from: a file (--resume-secret-file), the environment
// (already in Options), or fresh random bytes. Separate from option parsing because it reads a
// file and the system's random source.
#pragma once

#include <string>
#include <variant>

#include "options.hpp"

namespace videochat::local {

struct ResumeSecret {
  std::string bytes;
  std::string source;  // "file", "environment" or "random": for the log, never the secret itself
};

// The secret, or why it cannot be had (an unreadable or too short file).
std::variant<ResumeSecret, std::string> load_resume_secret(const Options& options);

}  // namespace videochat::local
