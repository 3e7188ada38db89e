// The HTTP exchange the AWS clients need, as plain values, and the one call a transport makes.
// The clients build requests and read responses without I/O; Beast (beast_transport.hpp)
// or a test's scripted fake does the sending. (A namespace of its own: aws::HttpRequest is the
// signer's view of a request, host and path apart.)
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace videochat::aws::http {

struct Header {
  std::string name;
  std::string value;

  friend bool operator==(const Header&, const Header&) = default;
};

struct Request {
  std::string method = "POST";
  std::string url;  // "https://dynamodb.eu-west-1.amazonaws.com/"
  std::vector<Header> headers;
  std::string body;
};

struct Response {
  int status = 0;
  std::vector<Header> headers;
  std::string body;
};

// The request never got an HTTP answer: connection refused or reset, TLS failure, timeout.
struct Failure {
  bool timed_out = false;
  std::string message;
};

using Result = std::variant<Response, Failure>;

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends `request` and waits at most `timeout` for the whole answer. Safe to call from several
  // threads at once.
  virtual Result send(const Request& request, std::chrono::milliseconds timeout) = 0;
};

// The value of the first header named `name` (ASCII case-insensitive), or empty.
std::string_view header_value(const std::vector<Header>& headers, std::string_view name);

}  // namespace videochat::aws::http
