// A stand-in for the network under the AWS clients: answers each request with the next scripted
// result and records what was sent. Plus a fake clock for the retry loop: sleeping advances it,
// and the jitter is chosen by the test.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dynamodb_client.hpp"
#include "http_transport.hpp"

namespace videochat::test {

class ScriptedTransport final : public aws::http::Transport {
 public:
  aws::http::Result send(const aws::http::Request& request,
                         std::chrono::milliseconds timeout) override {
    requests.push_back(request);
    timeouts.push_back(timeout);
    REQUIRE_MESSAGE(!answers.empty(), "unscripted request: " << request.body);
    aws::http::Result answer = answers.front();
    answers.pop_front();
    return answer;
  }

  void answer(int status, const nlohmann::json& body) {
    answers.push_back(aws::http::Response{status, {}, body.dump()});
  }
  void answer_ok(const nlohmann::json& body = nlohmann::json::object()) { answer(200, body); }
  // DynamoDB's error shape: a namespaced __type and a message.
  void answer_error(int status, const std::string& type, const std::string& message) {
    answer(status, {{"__type", "com.amazonaws.dynamodb.v20120810#" + type}, {"message", message}});
  }
  void fail(bool timed_out, const std::string& message) {
    answers.push_back(aws::http::Failure{timed_out, message});
  }

  // The operation of request `i` ("GetItem"), from its X-Amz-Target.
  std::string operation(std::size_t i) const {
    std::string target(aws::http::header_value(requests.at(i).headers, "X-Amz-Target"));
    return target.substr(target.find('.') + 1);
  }
  nlohmann::json body(std::size_t i) const { return nlohmann::json::parse(requests.at(i).body); }

  std::vector<aws::http::Request> requests;
  std::vector<std::chrono::milliseconds> timeouts;
  std::deque<aws::http::Result> answers;
};

// Time for the retry loop that moves only when the client sleeps.
struct FakeRetryTime {
  std::chrono::steady_clock::time_point now{};
  std::vector<std::chrono::milliseconds> sleeps;
  // The jitter draws the whole ceiling unless a test says otherwise: the slowest schedule.
  double jitter_fraction = 1.0;

  aws::RetryTiming timing() {
    aws::RetryTiming timing;
    timing.now = [this] { return now; };
    timing.sleep = [this](std::chrono::milliseconds pause) {
      sleeps.push_back(pause);
      now += pause;
    };
    timing.jitter = [this](std::chrono::milliseconds ceiling) {
      return std::chrono::milliseconds(
          static_cast<std::chrono::milliseconds::rep>(ceiling.count() * jitter_fraction));
    };
    return timing;
  }
};

}  // namespace videochat::test
