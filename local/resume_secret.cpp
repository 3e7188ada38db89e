#include "resume_secret.hpp"

#include <openssl/rand.h>

#include <fstream>
#include <iterator>

#include "resume_token.hpp"

namespace videochat::local {

std::variant<ResumeSecret, std::string> load_resume_secret(const Options& options) {
  const std::string too_short =
      "must be at least " + std::to_string(lambdas::kMinResumeSecretBytes) + " bytes";
  if (!options.resume_secret_file.empty()) {
    std::ifstream file(options.resume_secret_file, std::ios::binary);
    if (!file) return "--resume-secret-file: cannot read " + options.resume_secret_file;
    std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    // Files written by editors and `echo` end in a newline that is not part of the secret.
    while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes.pop_back();
    if (bytes.size() < lambdas::kMinResumeSecretBytes) {
      return "--resume-secret-file: the secret in " + options.resume_secret_file + " " + too_short +
             " (it is " + std::to_string(bytes.size()) + ")";
    }
    return ResumeSecret{std::move(bytes), "file"};
  }
  if (!options.resume_secret.empty()) return ResumeSecret{options.resume_secret, "environment"};
  std::string bytes(lambdas::kMinResumeSecretBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) !=
      1) {
    return "could not make a random resume secret (OpenSSL RAND_bytes failed); set "
           "VIDEOCHAT_RESUME_SECRET or --resume-secret-file";
  }
  return ResumeSecret{std::move(bytes), "random"};
}

}  // namespace videochat::local
