#include "relay_message.hpp"

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "json_string.hpp"

namespace videochat::lambdas {

namespace {

using nlohmann::json;
using protocol::JsonMember;

constexpr std::string_view kFrom = "from";
constexpr std::string_view kFromPeer = "fromPeer";

// Whether the object's top level already has the server's fields.
struct ForgedFields final : protocol::MemberSink {
  bool found = false;
  void member(const JsonMember& member) override {
    found = found || protocol::decoded_equals(member.key, member.key_has_escapes, kFrom) ||
            protocol::decoded_equals(member.key, member.key_has_escapes, kFromPeer);
  }
};

// Rare (a client writing the server's fields): rebuilt rather than edited in place.
void rebuild_with_sender(std::string_view object_text, const protocol::ConnectionId& from,
                         const std::optional<protocol::PeerId>& from_peer, std::string& out) {
  json object = json::parse(object_text);
  object[kFrom] = from.value;
  if (from_peer) {
    object[kFromPeer] = from_peer->value;
  } else {
    object.erase(std::string(kFromPeer));
  }
  out = object.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

RelayKind with_sender(std::string_view message, const protocol::ConnectionId& from,
                      const std::optional<protocol::PeerId>& from_peer, std::string& out) {
  const std::size_t open = protocol::json_value_start(message);
  if (open >= message.size() || message[open] != '{') return RelayKind::Verbatim;

  ForgedFields forged;
  const protocol::JsonRead read = protocol::read_json(message, &forged);
  if (read.verdict != protocol::JsonVerdict::Valid) {
    out = read.verdict == protocol::JsonVerdict::TooDeep
              ? "message nests arrays and objects deeper than " +
                    std::to_string(protocol::kMaxJsonDepth) + " levels; it is relayed to nobody"
              : "message starts like a JSON object but is not valid JSON (" +
                    std::string(read.problem) +
                    "); send a valid JSON object, or text that does not start with '{'";
    return RelayKind::Refused;
  }
  const std::string_view object = message.substr(open);
  if (forged.found) {
    rebuild_with_sender(object, from, from_peer, out);
    return RelayKind::Spliced;
  }

  // The server's fields go first, then the client's members as they were: one copy of the text.
  const std::string_view members = object.substr(1);
  const std::size_t next = protocol::json_value_start(members);
  const bool empty_object = members[next] == '}';
  out.clear();
  out.append("{\"from\":");
  append_json_string(out, from.value);
  if (from_peer) {
    out.append(",\"fromPeer\":");
    append_json_string(out, from_peer->value);
  }
  if (!empty_object) out.push_back(',');
  out.append(members);
  return RelayKind::Spliced;
}

}  // namespace videochat::lambdas
