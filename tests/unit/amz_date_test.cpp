// The signing time in SigV4's form: made from a clock reading or parsed, never invalid.
#include "amz_date.hpp"

#include <doctest/doctest.h>

#include <chrono>

namespace {

using namespace std::chrono;
using videochat::aws::AmzDate;

system_clock::time_point at(year_month_day date, hours h, minutes m, seconds s) {
  return sys_days{date} + h + m + s;
}

}  // namespace

TEST_SUITE("AmzDate") {
  TEST_CASE("a clock reading is written as UTC YYYYMMDDTHHMMSSZ") {
    CHECK(AmzDate::from(at(2015y / 8 / 30, 12h, 36min, 0s)).text() == "20150830T123600Z");
  }

  TEST_CASE("the epoch is 19700101T000000Z") {
    CHECK(AmzDate::from(system_clock::time_point{}).text() == "19700101T000000Z");
  }

  TEST_CASE("fractions of a second are dropped, not rounded up") {
    CHECK(AmzDate::from(at(2024y / 12 / 31, 23h, 59min, 59s) + 999ms).text() == "20241231T235959Z");
  }

  TEST_CASE("the date is the first eight characters, for the credential scope") {
    CHECK(AmzDate::from(at(2015y / 8 / 30, 12h, 36min, 0s)).date() == "20150830");
  }

  TEST_CASE("parsing gives the same value as the clock reading it names") {
    const auto parsed = AmzDate::parse("20240229T010203Z");
    REQUIRE(parsed.has_value());
    CHECK(*parsed == AmzDate::from(at(2024y / 2 / 29, 1h, 2min, 3s)));
  }

  TEST_CASE("text not in the basic ISO 8601 form is refused") {
    CHECK_FALSE(AmzDate::parse(""));
    CHECK_FALSE(AmzDate::parse("20150830T123600"));
    CHECK_FALSE(AmzDate::parse("20150830 123600Z"));
    CHECK_FALSE(AmzDate::parse("2015-08-30T12:36:00Z"));
    CHECK_FALSE(AmzDate::parse("2015083OT123600Z"));
    CHECK_FALSE(AmzDate::parse("20150830T123600z"));
  }

  TEST_CASE("dates and times that do not exist are refused") {
    CHECK_FALSE(AmzDate::parse("20151330T123600Z"));
    CHECK_FALSE(AmzDate::parse("20150230T123600Z"));
    CHECK_FALSE(AmzDate::parse("20230229T123600Z"));
    CHECK_FALSE(AmzDate::parse("20150830T243600Z"));
    CHECK_FALSE(AmzDate::parse("20150830T126000Z"));
    CHECK_FALSE(AmzDate::parse("20150830T123660Z"));
  }
}
