// Structured logs: one JSON object per line, so a person (or CloudWatch Logs Insights) can grep
// and filter by route, connection id and status.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>

namespace videochat::lambdas {

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void write(nlohmann::json line) = 0;
};

// Writes each line whole, with a UTC timestamp, however many threads log at once.
class StreamLogger final : public Logger {
 public:
  explicit StreamLogger(std::ostream& out) : out_(out) {}
  void write(nlohmann::json line) override;

 private:
  std::mutex mutex_;
  std::ostream& out_;
};

class NullLogger final : public Logger {
 public:
  void write(nlohmann::json) override {}
};

}  // namespace videochat::lambdas
