// Request targets from anyone on the network: the static file path never leaves the web root, and
// the query parser and percent-decoder never fail hard.
#include <string_view>

#include "fuzz_check.hpp"
#include "http_target.hpp"

using namespace videochat::local;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Target target = split_target(text);
  (void)parse_query(target.query);
  (void)percent_decode(text, /*plus_is_space=*/true);
  constexpr std::string_view kRoot = "/srv/site";
  if (auto file = static_file_path(kRoot, target.path)) {
    FUZZ_CHECK(file->starts_with(std::string(kRoot) + "/") || *file == kRoot);
    FUZZ_CHECK(file->find("/../") == std::string::npos && !file->ends_with("/.."));
    FUZZ_CHECK(file->find('\0') == std::string::npos);
  }
  return 0;
}
