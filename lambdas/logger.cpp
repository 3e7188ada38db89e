#include "logger.hpp"

#include <chrono>
#include <ctime>

namespace videochat::lambdas {

namespace {
std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}
}  // namespace

void StreamLogger::write(nlohmann::json line) {
  line["ts"] = utc_now();
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::lock_guard lock(mutex_);
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (flush_each_line_) out_.flush();
}

void StreamLogger::flush() {
  std::lock_guard lock(mutex_);
  out_.flush();
}

}  // namespace videochat::lambdas
