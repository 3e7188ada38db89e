#include "resume_secret.hpp"

#include <openssl/rand.h>

#include "resume_token.hpp"
#include "secret_file.hpp"

namespace videochat::local {

std::variant<ResumeSecret, std::string> load_resume_secret(const Options& options) {
  const std::string too_short =
      "must be at least " + std::to_string(lambdas::kMinResumeSecretBytes) + " bytes";
  if (!options.resume_secret_file.empty()) {
    auto bytes = read_secret_file(options.resume_secret_file);
    if (!bytes) return "--resume-secret-file: cannot read " + options.resume_secret_file;
    if (bytes->size() < lambdas::kMinResumeSecretBytes) {
      return "--resume-secret-file: the secret in " + options.resume_secret_file + " " + too_short +
             " (it is " + std::to_string(bytes->size()) + ")";
    }
    return ResumeSecret{std::move(*bytes), "file"};
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
