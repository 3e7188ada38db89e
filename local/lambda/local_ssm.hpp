// videochat-local --lambda's stand-in for SSM Parameter Store: the one GetParameter a function
// process makes at init for its TURN secret, answered on the process's own Runtime API port
// (the function is given AWS_ENDPOINT_URL_SSM=http://127.0.0.1:PORT), so the function reads the
// secret through the same signed GetParameter it makes on AWS. Pure: a request in, an answer out.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "management_auth.hpp"

namespace videochat::local::lambda {

// The SecureString the functions are told to read, holding --turn-secret-file's secret.
inline constexpr std::string_view kLocalTurnSecretParameter = "/videochat-local/turn-secret";

struct LocalParameter {
  std::string name;
  std::string value;  // served as a SecureString, decrypted
};

struct SsmAnswer {
  unsigned status = 200;
  std::string body;  // application/x-amz-json-1.1
};

// Whether a request on a Runtime API port is meant for SSM: POST / with an X-Amz-Target.
bool is_ssm_request(std::string_view method, std::string_view target, std::string_view amz_target);

// GetParameter answered as SSM answers it: the parameter, or ParameterNotFound, or the error
// type AWS gives an unsigned or wrongly signed request (signed for service ssm with `signer`'s
// key and region), an unknown operation or a malformed body.
SsmAnswer answer_ssm_request(const ReceivedRequest& request,
                             const std::optional<LocalParameter>& parameter,
                             const ManagementCredentials& signer,
                             std::chrono::system_clock::time_point now);

}  // namespace videochat::local::lambda
