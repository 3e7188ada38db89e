// Prints what the code says the deployment must match, as JSON: the route keys the handlers
// dispatch (kRoutes), the DynamoDB operations the store calls, and the table definition. The
// template test compares template.yaml against it, so the two cannot drift apart.
#include <iostream>
#include <nlohmann/json.hpp>

#include "dynamodb_table.hpp"
#include "error_code.hpp"
#include "invocation_metrics.hpp"
#include "resume_token.hpp"
#include "route_handlers.hpp"
#include "turn_credentials.hpp"

int main() {
  using namespace videochat;
  nlohmann::json routes = nlohmann::json::array();
  for (std::string_view route : lambdas::kRoutes) routes.push_back(std::string(route));
  nlohmann::json metric_names = nlohmann::json::array();
  for (std::string_view name : metrics::kMetricNames) metric_names.push_back(std::string(name));
  nlohmann::json error_codes = nlohmann::json::array();
  for (const auto& info : protocol::kErrorCodes) error_codes.push_back(std::string(info.wire));
  nlohmann::json facts = {
      {"routes", routes},
      {"table", aws::create_table_request("TABLE")},
      {"timeToLive", aws::update_time_to_live_request("TABLE")},
      // What a Lambda's store calls per invocation (ensure_table runs only in the local stack).
      {"dynamodbActions", {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}},
      // The resume tokens' secret: the variable the function requires, and its shortest length.
      {"resumeSecret",
       {{"variable", std::string(lambdas::kResumeSecretVariable)},
        {"minBytes", lambdas::kMinResumeSecretBytes}}},
      // The TURN relay: the variables the function reads, the lifetime's default and ceiling,
      // and the one call it makes for the secret (lambdas/aws/ssm/ssm_parameter.hpp).
      {"turn",
       {{"urlsVariable", std::string(lambdas::kTurnUrlsVariable)},
        {"secretParameterVariable", std::string(lambdas::kTurnSecretParameterVariable)},
        {"lifetimeVariable", std::string(lambdas::kTurnCredentialLifetimeVariable)},
        {"defaultLifetimeS", lambdas::kDefaultTurnCredentialLifetime.count()},
        {"maxLifetimeS", lambdas::kMaxTurnCredentialLifetime.count()},
        {"ssmActions", {"ssm:GetParameter"}}}},
      // The metrics each invocation's route line publishes (EMF): the alarms and the dashboard
      // may name only these, under these dimensions (lambdas/metrics/invocation_metrics.hpp).
      {"metrics",
       {{"namespaceVariable", std::string(metrics::kNamespaceVariable)},
        {"defaultNamespace", std::string(metrics::kDefaultNamespace)},
        {"names", metric_names},
        {"functionDimension", std::string(metrics::kFunctionDimension)},
        {"errorCodeDimension", std::string(metrics::kErrorCodeDimension)},
        {"errorCodeMetric", std::string(metrics::kErrorResponses)},
        {"errorCodes", error_codes}}},
  };
  std::cout << facts.dump(2) << "\n";
}
