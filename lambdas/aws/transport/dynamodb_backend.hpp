// The DynamoDB room store with everything it runs on (the HTTP transport, SigV4, the client),
// built from a DynamoDbConfig: what a Lambda's main() holds for the life of the process.
#pragma once

#include <memory>

#include "beast_transport.hpp"
#include "dynamodb_client.hpp"
#include "dynamodb_config.hpp"
#include "dynamodb_room_store.hpp"
#include "metered_transport.hpp"
#include "request_signer.hpp"

namespace videochat::aws {

class DynamoDbBackend final {
 public:
  // Requests are SigV4-signed when the config has credentials, unsigned otherwise (a local
  // server that ignores signatures and does not check for them).
  explicit DynamoDbBackend(const DynamoDbConfig& config, DynamoDbRoomStoreOptions options = {},
                           RetryPolicy retry = {});

  DynamoDbClient& client() { return client_; }
  DynamoDbRoomStore& store() { return store_; }
  // Every request the store sent and the time it waited for them: the invocations' metrics.
  const metrics::MeteredTransport& transport() const { return metered_; }
  // The transport itself (its TLS set-up and kept-alive connections), for the process's other
  // AWS calls (@connections, SSM) and for opening the store's connection during init.
  http::BeastTransport& http_transport() { return transport_; }

 private:
  http::BeastTransport transport_;
  metrics::MeteredTransport metered_{transport_};
  std::unique_ptr<RequestSigner> signer_;
  DynamoDbClient client_;
  DynamoDbRoomStore store_;
};

}  // namespace videochat::aws
