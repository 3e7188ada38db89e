// Structured logs: one JSON object per line, so a person (or CloudWatch Logs Insights) can grep
// and filter by route, connection id and status.
#pragma once

#include <cstddef>
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

// The longest string a log line carries whole: longer ones (what a client chose to send, say an
// unknown `to` of 100 KB) are cut at a character boundary and marked with their length, so no input
// makes a log line much bigger than the server's own words.
inline constexpr std::size_t kMaxLoggedStringBytes = 256;

// Writes each line whole, with a UTC timestamp, however many threads log at once, strings cut to
// kMaxLoggedStringBytes. A busy server flushes on a timer instead of after every line (a system
// call per message otherwise).
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
