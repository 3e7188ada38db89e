// The server's in-place JSON reader reads every text as nlohmann (our client's parser) does:
// valid to one is valid to the other (except what nlohmann cuts at a NUL byte, which the reader
// refuses, and what the reader refuses for its depth); each member it reports is valid JSON on its
// own; a string member decodes to what nlohmann reads.
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "json_reader.hpp"

using namespace videochat::protocol;

namespace {

struct Members final : MemberSink {
  std::vector<JsonMember> seen;
  void member(const JsonMember& member) override { seen.push_back(member); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Members members;
  const JsonRead read = read_json(text, &members);
  if (read.verdict == JsonVerdict::TooDeep) return 0;
  const bool nlohmann_accepts = nlohmann::json::accept(text.begin(), text.end());
  if (text.find('\0') == std::string_view::npos) {
    FUZZ_CHECK((read.verdict == JsonVerdict::Valid) == nlohmann_accepts);
  } else {
    FUZZ_CHECK(read.verdict != JsonVerdict::Valid);
  }
  if (read.verdict != JsonVerdict::Valid) return 0;
  FUZZ_CHECK(read.problem.empty());
  for (const JsonMember& member : members.seen) {
    FUZZ_CHECK(read_json(member.value).verdict == JsonVerdict::Valid);
    std::string key;
    append_decoded(key, member.key);
    FUZZ_CHECK(key == nlohmann::json::parse("\"" + std::string(member.key) + "\"").get<std::string>());
    if (member.kind == JsonKind::String) {
      std::string value;
      append_decoded(value, member.value.substr(1, member.value.size() - 2));
      FUZZ_CHECK(value == nlohmann::json::parse(member.value).get<std::string>());
    }
  }
  return 0;
}
