// The comma lists that flags and environment variables take (origins, relay URLs).
#include "comma_list.hpp"

#include <doctest/doctest.h>

using videochat::comma_list;
using List = std::vector<std::string>;

TEST_CASE("comma_list: items trimmed of spaces, empty ones skipped, order kept") {
  CHECK(comma_list("") == List{});
  CHECK(comma_list("a") == List{"a"});
  CHECK(comma_list("https://a.example, https://b.example") ==
        List{"https://a.example", "https://b.example"});
  CHECK(comma_list(" a ,, b,  ,c ") == List{"a", "b", "c"});
  CHECK(comma_list(",") == List{});
  // Only commas separate: a space inside an item stays (the caller's validation refuses it).
  CHECK(comma_list("turn:a b,turn:c") == List{"turn:a b", "turn:c"});
}
