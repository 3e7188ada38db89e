#include "logger.hpp"

#include <chrono>
#include <ctime>

namespace videochat::lambdas {

namespace {
// A busy server logs many lines within one millisecond: each thread formats a millisecond's
// timestamp once.
const std::string& utc_now() {
  thread_local long long formatted_ms = -1;
  thread_local std::string text;
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  if (ms == formatted_ms) return text;
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + n, sizeof buffer - n, ".%03dZ", static_cast<int>(ms % 1000));
  text = buffer;
  formatted_ms = ms;
  return text;
}
// Cuts every string in `value` longer than kMaxLoggedStringBytes, at a UTF-8 character boundary.
void cut_long_strings(nlohmann::json& value) {
  if (value.is_string()) {
    std::string& text = value.get_ref<std::string&>();
    if (text.size() <= kMaxLoggedStringBytes) return;
    std::size_t end = kMaxLoggedStringBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    const std::size_t original = text.size();
    text.resize(end);
    text += "\u2026 (" + std::to_string(original) + " bytes)";
  } else if (value.is_structured()) {
    for (auto& member : value) cut_long_strings(member);
  }
}
}  // namespace

void Logger::write_rendered(std::string_view members) {
  std::string object;
  object.reserve(members.size() + 2);
  object.append("{").append(members).append("}");
  write(nlohmann::json::parse(object));
}

void StreamLogger::write(nlohmann::json line) {
  cut_long_strings(line);
  line["ts"] = utc_now();
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::lock_guard lock(mutex_);
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (flush_each_line_) out_.flush();
}

void StreamLogger::write_rendered(std::string_view members) {
  const std::string& ts = utc_now();
  std::lock_guard lock(mutex_);
  out_.put('{');
  out_.write(members.data(), static_cast<std::streamsize>(members.size()));
  out_.write(",\"ts\":\"", 7);
  out_.write(ts.data(), static_cast<std::streamsize>(ts.size()));
  out_.write("\"}\n", 3);
  if (flush_each_line_) out_.flush();
}

void StreamLogger::flush() {
  std::lock_guard lock(mutex_);
  out_.flush();
}

}  // namespace videochat::lambdas
