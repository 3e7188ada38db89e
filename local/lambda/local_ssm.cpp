#include "local_ssm.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

#include "ssm_parameter.hpp"

namespace videochat::local::lambda {

namespace {

SsmAnswer error(std::string_view type, std::string_view message) {
  return {400, nlohmann::json{{"__type", type}, {"message", message}}.dump()};
}

std::string_view header(const ReceivedRequest& request, std::string_view lower_name) {
  for (const auto& field : request.headers) {
    if (field.name.size() != lower_name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < lower_name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(field.name[i])) == lower_name[i];
    }
    if (same) return field.value;
  }
  return {};
}

}  // namespace

bool is_ssm_request(std::string_view method, std::string_view target, std::string_view amz_target) {
  return method == "POST" && target == "/" && amz_target.starts_with("AmazonSSM.");
}

SsmAnswer answer_ssm_request(const ReceivedRequest& request,
                             const std::optional<LocalParameter>& parameter,
                             const ManagementCredentials& signer,
                             std::chrono::system_clock::time_point now) {
  if (auto refusal = verify_signed_request(request, signer, aws::ssm::kSigningService, now)) {
    return error(refusal->error_type, refusal->message);
  }
  if (header(request, "x-amz-target") != aws::ssm::kGetParameterTarget) {
    return error("UnknownOperationException",
                 "videochat-local's SSM answers AmazonSSM.GetParameter only, not " +
                     std::string(header(request, "x-amz-target")));
  }
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("Name") || !body["Name"].is_string()) {
    return error("ValidationException", "GetParameter takes a JSON object with a Name");
  }
  const std::string name = body["Name"].get<std::string>();
  if (!parameter || name != parameter->name) {
    return error("ParameterNotFound", "");
  }
  if (body.value("WithDecryption", false) != true) {
    // SSM would hand out the ciphertext; the function must never get that far.
    return error("ValidationException",
                 "videochat-local's SSM serves its SecureString only with WithDecryption: true");
  }
  nlohmann::json answer = {
      {"Parameter",
       {{"Name", parameter->name},
        {"Type", aws::ssm::kSecureString},
        {"Value", parameter->value},
        {"Version", 1},
        {"DataType", "text"},
        {"ARN", "arn:aws:ssm:" + signer.region + ":000000000000:parameter" + parameter->name}}}};
  return {200, answer.dump()};
}

}  // namespace videochat::local::lambda
