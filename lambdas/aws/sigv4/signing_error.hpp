// Why a request cannot be signed as given. The signer's inputs are built by our own adapters, not
// read from the network, so a refusal is a programming error: thrown, with a code to switch on.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace videochat::aws {

enum class SigningErrorCode {
  MissingField,        // method, host, a credential, region or service is empty
  InvalidPath,         // a path that is neither empty nor starts with '/'
  ReservedHeader,      // a header the signer sets itself (Host, X-Amz-Date, Authorization, ...)
  InvalidHeaderName,   // empty, or a character outside RFC 9110's token set
  InvalidHeaderValue,  // CR, LF or NUL: folded or injected lines are never signed
};
std::string_view to_string(SigningErrorCode code);

class SigningError final : public std::invalid_argument {
 public:
  SigningError(SigningErrorCode code, const std::string& message)
      : std::invalid_argument(message), code_(code) {}
  SigningErrorCode code() const noexcept { return code_; }

 private:
  SigningErrorCode code_;
};

}  // namespace videochat::aws
