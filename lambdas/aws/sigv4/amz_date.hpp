// The instant a request is signed at, in SigV4's basic ISO 8601 form ("20150830T123600Z", UTC).
// Made from a clock reading or parsed from text, never invalid once made.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace videochat::aws {

class AmzDate final {
 public:
  static AmzDate from(std::chrono::system_clock::time_point time);
  // "YYYYMMDDTHHMMSSZ" with a real calendar date and time of day; nullopt otherwise.
  static std::optional<AmzDate> parse(std::string_view text);

  // "20150830T123600Z": the X-Amz-Date header.
  const std::string& text() const { return text_; }
  // "20150830": the credential scope's date.
  std::string_view date() const { return std::string_view(text_).substr(0, 8); }

  friend bool operator==(const AmzDate&, const AmzDate&) = default;

 private:
  explicit AmzDate(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace videochat::aws
