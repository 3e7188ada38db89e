// Reads JSON text in place: checks that it is one valid JSON value (RFC 8259, with what nlohmann,
// the library our client parses with, also accepts: a leading UTF-8 byte-order mark) no deeper than
// a nesting limit, and reports the top-level members of an object as spans of the text. No
// document is built and nothing is allocated, so the server reads each frame it relays once.
//
// The one rule by which the server decides what a text is: the client frame parser and the relay's
// `from` splice both read through here, so "is this a JSON object?" and the nesting limit cannot
// differ between them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace videochat::protocol {

// Deeper nesting is refused (protocol frames and WebRTC signaling need three levels): a reader
// that recurses, as nlohmann's serializer and many clients' do, is never asked to go deeper.
inline constexpr int kMaxJsonDepth = 64;

enum class JsonKind : char { Object, Array, String, Number, True, False, Null };

// One member of the top-level object, as spans of the text that was read.
struct JsonMember {
  std::string_view key;    // between the quotes, escapes not decoded
  bool key_has_escapes;    // decode it (decoded_equals) before comparing
  std::string_view value;  // the value's own text; a string's includes its quotes
  JsonKind kind;
};

class MemberSink {
 public:
  virtual void member(const JsonMember& member) = 0;

 protected:
  ~MemberSink() = default;
};

enum class JsonVerdict { Valid, Invalid, TooDeep };

struct JsonRead {
  JsonVerdict verdict = JsonVerdict::Invalid;
  JsonKind kind = JsonKind::Null;  // of the top-level value, when valid
  std::size_t start = 0;           // where the top-level value begins
  std::string_view problem;        // when invalid: what a reader stumbles on first
};

// Reads `text` as one JSON value; `members` (when not null) is told each top-level member of an
// object, in order, duplicates included, as they are read (so also when the text turns out to be
// invalid further on).
JsonRead read_json(std::string_view text, MemberSink* members = nullptr,
                   int max_depth = kMaxJsonDepth);

// Where a JSON reader begins the value: past a leading byte-order mark and JSON whitespace. A text
// whose first character there is '{' looks like a JSON object to every reader we serve.
std::size_t json_value_start(std::string_view text);

// The contents of a JSON string (between its quotes, as read_json reported it) decoded to UTF-8
// and appended to `out`; `raw` must come from a text read_json found valid.
void append_decoded(std::string& out, std::string_view raw);
// `out` set to the decoded contents, reusing its capacity.
void assign_decoded(std::string& out, std::string_view raw);
// Whether decoded contents equal `plain`, without allocating when `raw` has no escapes.
bool decoded_equals(std::string_view raw, bool has_escapes, std::string_view plain);

}  // namespace videochat::protocol
