#include "dynamodb_backend.hpp"

#include "ca_directory.hpp"
#include "sigv4_request_signer.hpp"

namespace videochat::aws {

namespace {

std::unique_ptr<RequestSigner> signer_for(const DynamoDbConfig& config) {
  if (!config.credentials) return std::make_unique<UnsignedRequests>();
  const auto& given = *config.credentials;
  return std::make_unique<SigV4RequestSigner>(
      Credentials{given.access_key_id, given.secret_access_key, given.session_token}, config.region,
      "dynamodb");
}

}  // namespace

DynamoDbBackend::DynamoDbBackend(const DynamoDbConfig& config, DynamoDbRoomStoreOptions options,
                                 RetryPolicy retry)
    : transport_(http::TransportOptions{
          .ca_bundle = config.ca_bundle,
          .ca_directory = config.ca_bundle ? std::nullopt : http::find_hashed_ca_directory()}),
      signer_(signer_for(config)),
      client_(config.endpoint, metered_, *signer_, retry),
      store_(client_, config.table, options) {}

}  // namespace videochat::aws
