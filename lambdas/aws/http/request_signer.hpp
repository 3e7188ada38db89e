// Signs an AWS request just before it is sent. The AWS clients call it once per attempt (a
// signature carries a timestamp, so a retry is signed afresh) and add the headers it returns.
#pragma once

#include <vector>

#include "http_transport.hpp"

namespace videochat::aws {

class RequestSigner {
 public:
  virtual ~RequestSigner() = default;
  // The headers to add to `request` (Authorization, X-Amz-Date, X-Amz-Security-Token, ...).
  virtual std::vector<http::Header> sign(const http::Request& request) = 0;
};

// For DynamoDB-API servers that ignore signatures (dynalite, DynamoDB Local): adds nothing.
class UnsignedRequests final : public RequestSigner {
 public:
  std::vector<http::Header> sign(const http::Request&) override { return {}; }
};

}  // namespace videochat::aws
