#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "json_reader.hpp"

using namespace videochat::protocol;

namespace {

std::string file_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

bool nlohmann_accepts(std::string_view text) {
  return nlohmann::json::accept(text.begin(), text.end());
}

struct Collect final : MemberSink {
  std::vector<JsonMember> members;
  void member(const JsonMember& m) override { members.push_back(m); }
};

std::string decoded(std::string_view raw) {
  std::string out;
  append_decoded(out, raw);
  return out;
}

}  // namespace

TEST_CASE("the JSON reader agrees with the published JSONTestSuite vectors and with nlohmann") {
  const std::filesystem::path folder =
      std::filesystem::path(VIDEOCHAT_TEST_DATA) / "JSONTestSuite" / "test_parsing";
  int accepted = 0, refused = 0, implementation_defined = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const std::string text = file_text(entry.path());
    const JsonRead read = read_json(text);
    CAPTURE(name);
    if (read.verdict == JsonVerdict::TooDeep) {
      // Refused for its depth before anything else: only vectors of deep nesting get here.
      CHECK_FALSE(name.starts_with("y_"));
      name.starts_with("n_") ? ++refused : ++implementation_defined;
      continue;
    }
    if (name.starts_with("y_")) {
      CHECK(read.verdict == JsonVerdict::Valid);
      ++accepted;
    } else if (name.starts_with("n_")) {
      CHECK(read.verdict == JsonVerdict::Invalid);
      CHECK_FALSE(read.problem.empty());
      ++refused;
    } else {
      ++implementation_defined;
    }
    // Whatever RFC 8259 leaves open, the server reads a text as our client's parser does, with
    // one difference on the safe side: nlohmann stops reading at a NUL byte (so it accepts
    // "123\0garbage"), where the server refuses the text.
    if (text.find('\0') == std::string::npos) {
      CHECK((read.verdict == JsonVerdict::Valid) == nlohmann_accepts(text));
    } else {
      CHECK(read.verdict != JsonVerdict::Valid);
    }
  }
  // All of the suite was read: 95 y_, 188 n_, 35 i_.
  CHECK(accepted == 95);
  CHECK(accepted + refused + implementation_defined == 318);
}

TEST_CASE("the JSON reader refuses deep nesting at its limit, cheaply") {
  const std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(read_json(at_limit).verdict == JsonVerdict::Valid);
  const std::string past_limit = "[" + at_limit + "]";
  CHECK(read_json(past_limit).verdict == JsonVerdict::TooDeep);
  // A megabyte of opening brackets stops at the limit instead of recursing a million times.
  CHECK(read_json(std::string(1 << 20, '[')).verdict == JsonVerdict::TooDeep);
  CHECK(read_json(R"({"a":{"b":[1]}})", nullptr, 2).verdict == JsonVerdict::TooDeep);
}

TEST_CASE("the JSON reader reports the top-level members of an object as spans of the text") {
  const std::string text =
      "\xEF\xBB\xBF {\"action\" : \"sendMsgToRoom\", \"n\":[1,{\"action\":2}], \"t\\u00e9\":null}";
  Collect collect;
  const JsonRead read = read_json(text, &collect);
  REQUIRE(read.verdict == JsonVerdict::Valid);
  CHECK(read.kind == JsonKind::Object);
  CHECK(read.start == 4);  // past the byte-order mark and the space
  REQUIRE(collect.members.size() == 3);
  CHECK(collect.members[0].key == "action");
  CHECK(collect.members[0].value == "\"sendMsgToRoom\"");
  CHECK(collect.members[0].kind == JsonKind::String);
  CHECK(collect.members[1].value == "[1,{\"action\":2}]");  // nested members are not reported
  CHECK(collect.members[1].kind == JsonKind::Array);
  CHECK(collect.members[2].key_has_escapes);
  CHECK(decoded_equals(collect.members[2].key, true, "t\xC3\xA9"));
  CHECK_FALSE(decoded_equals(collect.members[2].key, true, "t"));
}

TEST_CASE("the JSON reader says what is wrong with a text it refuses") {
  CHECK(read_json("").problem == "the text ends where a value should be");
  CHECK(read_json("{\"a\":1} x").problem == "there is text after the JSON value");
  CHECK(read_json("\"\\ud800\"").problem == "a string holds a lone surrogate");
  CHECK(read_json("\"\\udc00\\ud800\"").problem == "a string holds a lone surrogate");
  CHECK(read_json("[1e400]").problem == "a number is too large");
  CHECK(read_json("[-1e400]").problem == "a number is too large");
  CHECK(read_json("[1e-400]").verdict == JsonVerdict::Valid);  // read as zero, as nlohmann does
  CHECK(read_json("[0.000001e-400]").verdict == JsonVerdict::Valid);
  CHECK(read_json("\"\xED\xA0\x80\"").problem == "a string holds invalid UTF-8");
  CHECK(read_json("\xEF\xBB{}").problem == "the text starts with a broken byte-order mark");
  CHECK(read_json(" \xEF\xBB\xBF{}").verdict == JsonVerdict::Invalid);  // a mark only comes first
}

TEST_CASE("decoding a JSON string's contents gives its UTF-8 text") {
  CHECK(decoded(R"(plain)") == "plain");
  CHECK(decoded(R"(a\"b\\c\/d\b\f\n\r\t)") == "a\"b\\c/d\b\f\n\r\t");
  CHECK(decoded(R"(\u0041\u00e9\u20ac\ud83d\ude00)") == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(decoded(R"({\"type\":\"offer\"})") == R"({"type":"offer"})");
  std::string reused = "something longer than the small-string buffer of std::string";
  const auto capacity = reused.capacity();
  assign_decoded(reused, "short");
  CHECK(reused == "short");
  CHECK(reused.capacity() == capacity);
  // Agrees with nlohmann on every escape form.
  const std::string raw = R"(x\u0000y\u001f\ud834\udd1e\u00ff\"\\)";
  CHECK(decoded(raw) == nlohmann::json::parse("\"" + raw + "\"").get<std::string>());
}
