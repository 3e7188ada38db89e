// videochat-local --lambda: the zip unpacked and the function configured as template.yaml
// configures it on AWS, pointed at this stack (DynamoDB endpoint, @connections credentials).
#pragma once

#include <string>
#include <variant>

#include "dynamodb_config.hpp"
#include "function_environment.hpp"
#include "function_zip.hpp"
#include "invocation_scheduler.hpp"
#include "options.hpp"

namespace videochat::local::lambda {

struct LambdaMode {
  UnpackedFunction function;
  FunctionConfig config;
  SchedulerConfig scheduler;
};

// The function's configuration from the options and the emulator's environment (VIDEOCHAT_TABLE,
// AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, the AWS credentials, VIDEOCHAT_RESUME_SECRET), without
// the zip: pure, for tests. `options.turn` must hold its secret already (load_turn_secret).
std::variant<FunctionConfig, std::string> function_config(const Options& options,
                                                          const aws::Environment& environment);

// The above, plus the zip unpacked; or why not.
std::variant<LambdaMode, std::string> prepare_lambda_mode(const Options& options,
                                                          const aws::Environment& environment);

}  // namespace videochat::local::lambda
