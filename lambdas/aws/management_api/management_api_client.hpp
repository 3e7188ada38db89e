// The API Gateway management API (`@connections`) over HTTP, signed with SigV4 for service
// execute-api: how the handlers reach clients on AWS (and, with --connections http, on
// videochat-local). Gone (410) is reported as such, so the handlers can forget the connection.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "connections_api.hpp"
#include "http_transport.hpp"
#include "request_signer.hpp"

namespace videochat::aws {

class ManagementApiClient final : public lambdas::ConnectionsApi {
 public:
  using Log = std::function<void(const std::string& what, int status, const std::string& detail)>;

  // `endpoint`: "https://{domainName}/{stage}" (no trailing slash).
  ManagementApiClient(http::Transport& transport, RequestSigner& signer, std::string endpoint,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(3000),
                      Log log = {});

  // On Lambda the endpoint comes with each event (requestContext.domainName and stage).
  void set_endpoint(std::string endpoint);
  std::string endpoint() const;

  lambdas::PostResult post(const protocol::ConnectionId& to, std::string_view data) override;
  lambdas::PostResult disconnect(const protocol::ConnectionId& connection) override;
  lambdas::PostResult probe(const protocol::ConnectionId& connection) override;

  // "https://{domain}/{stage}/@connections/{id}", the id percent-encoded ("=" becomes "%3D").
  std::string connection_url(const protocol::ConnectionId& connection) const;

 private:
  lambdas::PostResult call(std::string method, const protocol::ConnectionId& connection,
                           std::string body);

  http::Transport& transport_;
  RequestSigner& signer_;
  mutable std::mutex mutex_;
  std::string endpoint_;
  std::chrono::milliseconds timeout_;
  Log log_;
};

// The endpoint for an event's domainName and stage; http:// for loopback hosts (videochat-local).
std::string management_endpoint(std::string_view domain_name, std::string_view stage);

}  // namespace videochat::aws
