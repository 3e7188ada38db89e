#include "signing_error.hpp"

namespace videochat::aws {

std::string_view to_string(SigningErrorCode code) {
  switch (code) {
    case SigningErrorCode::MissingField:
      return "missing_field";
    case SigningErrorCode::InvalidPath:
      return "invalid_path";
    case SigningErrorCode::ReservedHeader:
      return "reserved_header";
    case SigningErrorCode::InvalidHeaderName:
      return "invalid_header_name";
    case SigningErrorCode::InvalidHeaderValue:
      return "invalid_header_value";
  }
  return "unknown";
}

}  // namespace videochat::aws
