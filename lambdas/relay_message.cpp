#include "relay_message.hpp"

#include <nlohmann/json.hpp>

#include "json_string.hpp"

namespace videochat::lambdas {

using nlohmann::json;

namespace {

constexpr std::string_view kWhitespace = " \t\n\r";
constexpr std::string_view kFrom = "from";
constexpr std::string_view kFromPeer = "fromPeer";

// Checks that a text is one JSON object and whether its top level already has "from" or
// "fromPeer", without building a document.
class ObjectScan final : public json::json_sax_t {
 public:
  bool forged = false;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    ++depth_;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == 1 && (name == kFrom || name == kFromPeer)) {
      forged = true;
      return false;  // the document path takes over; no need to read further
    }
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  int depth_ = 0;
};

}  // namespace

RelayText with_sender(std::string_view message, const protocol::ConnectionId& from,
                      const std::optional<protocol::PeerId>& from_peer) {
  using Kind = RelayText::Kind;
  const std::size_t open = message.find_first_not_of(kWhitespace);
  if (open == std::string_view::npos || message[open] != '{') return {Kind::Verbatim, {}};
  const RelayText refused{Kind::Refused,
                          "message starts like a JSON object but is not valid JSON; send a "
                          "valid JSON object, or text that does not start with '{'"};

  ObjectScan scan;
  const bool parsed = json::sax_parse(message.begin(), message.end(), &scan);
  if (scan.forged) {
    // Rare (a client writing the server's fields): rebuild the object rather than edit the text.
    json object = json::parse(message, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) return refused;
    object[kFrom] = from.value;
    if (from_peer) {
      object[kFromPeer] = from_peer->value;
    } else {
      object.erase(std::string(kFromPeer));
    }
    return {Kind::Spliced, object.dump(-1, ' ', false, json::error_handler_t::replace)};
  }
  if (!parsed) return refused;

  // The server's fields go first, then the client's text as it was: one copy of the message.
  const std::size_t body = open + 1;
  const std::size_t next = message.find_first_not_of(kWhitespace, body);
  const bool empty_object = next != std::string_view::npos && message[next] == '}';
  std::string out;
  out.reserve(message.size() + 32 + from.value.size() + protocol::kPeerIdLength);
  out.append(message.substr(0, body));
  out.append("\"from\":");
  append_json_string(out, from.value);
  if (from_peer) {
    out.append(",\"fromPeer\":");
    append_json_string(out, from_peer->value);
  }
  if (!empty_object) out.push_back(',');
  out.append(message.substr(body));
  return {Kind::Spliced, std::move(out)};
}

}  // namespace videochat::lambdas
