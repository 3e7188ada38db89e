// The API Gateway management API (`@connections`) over HTTP, as AWS serves it at
// https://{api}.execute-api.{region}.amazonaws.com/{stage}/@connections/{connectionId}:
// POST sends the body to the connection, GET describes it, DELETE closes it; a connection that
// no longer exists answers 410 with `x-amzn-ErrorType: GoneException`. Signatures are not checked
// locally; instead only clients on the loopback interface may call it.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

#include "connection_registry.hpp"
#include "options.hpp"

namespace videochat::local {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

HttpResponse handle_management_request(const HttpRequest& request,
                                       std::string_view connection_id,
                                       ConnectionRegistry& registry, const Options& options);

// An error in AWS's shape: a JSON body with `message` and the type in `x-amzn-ErrorType`.
HttpResponse aws_error(const HttpRequest& request, boost::beast::http::status status,
                       std::string_view error_type, std::string_view message);

}  // namespace videochat::local
