#include "amz_date.hpp"

#include <cstdio>

namespace videochat::aws {

namespace {

std::optional<unsigned> digits(std::string_view text, std::size_t at, std::size_t count) {
  unsigned value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return value;
}

}  // namespace

AmzDate AmzDate::from(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto seconds = floor<std::chrono::seconds>(time);
  const auto day = floor<days>(seconds);
  const year_month_day date{day};
  const hh_mm_ss clock{seconds - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return AmzDate(text);
}

std::optional<AmzDate> AmzDate::parse(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 4, 2);
  const auto day = digits(text, 6, 2);
  const auto hour = digits(text, 9, 2);
  const auto minute = digits(text, 11, 2);
  const auto second = digits(text, 13, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(*year)},
                                         std::chrono::month{*month}, std::chrono::day{*day}};
  // Leap seconds (":60") are refused: a system_clock reading never shows one, so from() could
  // never make the same value.
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  return AmzDate(std::string(text));
}

}  // namespace videochat::aws
