#include "json_reader.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "text_encoding.hpp"

namespace videochat::protocol {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool is_whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Four hex digits at `at`, or -1.
int hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    const int digit = hex_digit_value(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

bool is_high_surrogate(int unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool is_low_surrogate(int unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

class Reader {
 public:
  Reader(std::string_view text, MemberSink* members, int max_depth)
      : text_(text), members_(members), depth_left_(max_depth) {}

  JsonRead read() {
    JsonRead result;
    pos_ = result.start = json_value_start(text_);
    if (text_.substr(0, 1) == "\xEF" && !text_.starts_with(kByteOrderMark)) {
      fail("the text starts with a broken byte-order mark");
    } else if (value(result.kind, /*top=*/true)) {
      skip_whitespace();
      if (pos_ != text_.size()) fail("there is text after the JSON value");
    }
    if (too_deep_) {
      result.verdict = JsonVerdict::TooDeep;
      result.problem = "it nests arrays and objects too deeply";
    } else if (!problem_.empty()) {
      result.problem = problem_;
    } else {
      result.verdict = JsonVerdict::Valid;
    }
    return result;
  }

 private:
  bool fail(std::string_view problem) {
    if (problem_.empty()) problem_ = problem;
    return false;
  }

  void skip_whitespace() {
    while (pos_ < text_.size() && is_whitespace(text_[pos_])) ++pos_;
  }

  bool value(JsonKind& kind, bool top) {
    skip_whitespace();
    if (pos_ >= text_.size()) return fail("the text ends where a value should be");
    switch (text_[pos_]) {
      case '{':
        kind = JsonKind::Object;
        return container('}', top);
      case '[':
        kind = JsonKind::Array;
        return container(']', false);
      case '"':
        kind = JsonKind::String;
        return string();
      case 't':
        kind = JsonKind::True;
        return literal("true");
      case 'f':
        kind = JsonKind::False;
        return literal("false");
      case 'n':
        kind = JsonKind::Null;
        return literal("null");
      default:
        kind = JsonKind::Number;
        return number();
    }
  }

  // An object (closing '}') or an array (closing ']'), `pos_` at its opening bracket.
  bool container(char closing, bool report_members) {
    if (--depth_left_ < 0) {
      too_deep_ = true;
      return fail("too deep");
    }
    const bool object = closing == '}';
    ++pos_;
    skip_whitespace();
    if (pos_ < text_.size() && text_[pos_] == closing) {
      ++pos_;
      ++depth_left_;
      return true;
    }
    for (;;) {
      JsonMember member{};
      if (object) {
        skip_whitespace();
        if (pos_ >= text_.size() || text_[pos_] != '"') return fail("an object key must be a string");
        const std::size_t key_start = pos_ + 1;
        if (!string()) return false;
        member.key = text_.substr(key_start, pos_ - 1 - key_start);
        member.key_has_escapes = member.key.find('\\') != std::string_view::npos;
        skip_whitespace();
        if (pos_ >= text_.size() || text_[pos_] != ':') return fail("a key must be followed by ':'");
        ++pos_;
        skip_whitespace();
      }
      const std::size_t value_start = pos_;
      if (!value(member.kind, false)) return false;
      if (report_members && members_) {
        member.value = text_.substr(value_start, pos_ - value_start);
        members_->member(member);
      }
      skip_whitespace();
      if (pos_ >= text_.size()) return fail("the text ends inside an array or object");
      const char next = text_[pos_++];
      if (next == closing) break;
      if (next != ',') return fail("members must be separated by ','");
    }
    ++depth_left_;
    return true;
  }

  // A string, `pos_` at its opening quote; leaves `pos_` past its closing quote.
  bool string() {
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (!escape()) return false;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        return fail("a string holds an unescaped control character");
      } else {
        const std::size_t length = utf8_sequence_length(text_, pos_);
        if (length == 0) return fail("a string holds invalid UTF-8");
        pos_ += length;
      }
    }
    return fail("a string is not closed");
  }

  // An escape, `pos_` at its backslash.
  bool escape() {
    if (pos_ + 1 >= text_.size()) return fail("a string is not closed");
    const char kind = text_[pos_ + 1];
    if (kind != 'u') {
      if (std::string_view("\"\\/bfnrt").find(kind) == std::string_view::npos) {
        return fail("a string holds an invalid escape");
      }
      pos_ += 2;
      return true;
    }
    const int unit = hex4(text_, pos_ + 2);
    if (unit < 0) return fail("a \\u escape needs four hex digits");
    pos_ += 6;
    if (is_low_surrogate(unit)) return fail("a string holds a lone surrogate");
    if (!is_high_surrogate(unit)) return true;
    const int low = text_.substr(pos_, 2) == "\\u" ? hex4(text_, pos_ + 2) : -1;
    if (!is_low_surrogate(low)) return fail("a string holds a lone surrogate");
    pos_ += 6;
    return true;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("an unknown word where a value should be");
    pos_ += word.size();
    return true;
  }

  bool digits() {
    const std::size_t first = pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    return pos_ > first;
  }

  bool number() {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || !is_digit(text_[pos_])) return fail("an unexpected character");
    if (text_[pos_] == '0') {
      ++pos_;
    } else {
      digits();
    }
    const std::size_t integer_end = pos_;
    bool plain_integer = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      plain_integer = false;
      if (!digits()) return fail("a number needs digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      plain_integer = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("a number needs digits in its exponent");
    }
    const std::size_t integer_digits = integer_end - start - (text_[start] == '-' ? 1 : 0);
    if (plain_integer && integer_digits <= 19) return true;  // fits an integer
    return finite(start);
  }

  // nlohmann refuses a number too large for a double; one too small is read as zero.
  bool finite(std::size_t start) {
    const std::string_view number = text_.substr(start, pos_ - start);
    // strtod needs a terminated copy; numbers are short, so it is on the stack but for absurd ones.
    char small[64];
    std::string large;
    const char* terminated = small;
    if (number.size() < sizeof small) {
      number.copy(small, number.size());
      small[number.size()] = '\0';
    } else {
      large.assign(number);
      terminated = large.c_str();
    }
    return !std::isinf(std::strtod(terminated, nullptr)) || fail("a number is too large");
  }

  std::string_view text_;
  MemberSink* members_;
  int depth_left_;
  std::size_t pos_ = 0;
  bool too_deep_ = false;
  std::string_view problem_;
};

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

char simple_escape(char kind) {
  switch (kind) {
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return kind;  // '"', '\\' and '/' stand for themselves
  }
}

}  // namespace

JsonRead read_json(std::string_view text, MemberSink* members, int max_depth) {
  return Reader(text, members, max_depth).read();
}

std::size_t json_value_start(std::string_view text) {
  std::size_t at = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
  while (at < text.size() && is_whitespace(text[at])) ++at;
  return at;
}

void append_decoded(std::string& out, std::string_view raw) {
  std::size_t at = 0;
  while (at < raw.size()) {
    const std::size_t escape = raw.find('\\', at);
    out.append(raw.substr(at, escape - at));
    if (escape == std::string_view::npos) return;
    const char kind = raw[escape + 1];
    if (kind != 'u') {
      out.push_back(simple_escape(kind));
      at = escape + 2;
      continue;
    }
    auto unit = static_cast<std::uint32_t>(hex4(raw, escape + 2));
    at = escape + 6;
    if (is_high_surrogate(static_cast<int>(unit))) {
      const auto low = static_cast<std::uint32_t>(hex4(raw, at + 2));
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
      at += 6;
    }
    append_utf8(out, unit);
  }
}

void assign_decoded(std::string& out, std::string_view raw) {
  out.clear();
  append_decoded(out, raw);
}

bool decoded_equals(std::string_view raw, bool has_escapes, std::string_view plain) {
  if (!has_escapes) return raw == plain;
  std::string decoded;
  append_decoded(decoded, raw);
  return decoded == plain;
}

}  // namespace videochat::protocol
