// Structured logs: one JSON object per line, so a person (or CloudWatch Logs Insights) can grep
// and filter by route, connection id and status.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string_view>

namespace videochat::lambdas {

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void write(nlohmann::json line) = 0;
  // A line whose members are already rendered as JSON text (`"event":"route","status":200`,
  // without braces): a hot path's line without building a JSON object first.
  virtual void write_rendered(std::string_view members);
  // Pushes buffered lines out; loggers that write through need not buffer.
  virtual void flush() {}
};

// Writes each line whole, with a UTC timestamp, however many threads log at once. A busy server
// flushes on a timer instead of after every line (a system call per message otherwise).
class StreamLogger final : public Logger {
 public:
  explicit StreamLogger(std::ostream& out, bool flush_each_line = true)
      : out_(out), flush_each_line_(flush_each_line) {}
  void write(nlohmann::json line) override;
  void write_rendered(std::string_view members) override;
  void flush() override;

 private:
  std::mutex mutex_;
  std::ostream& out_;
  bool flush_each_line_;
};

class NullLogger final : public Logger {
 public:
  void write(nlohmann::json) override {}
  void write_rendered(std::string_view) override {}
};

}  // namespace videochat::lambdas
