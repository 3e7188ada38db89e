// Shared by the client core's tests: the messages a browser peer would relay, written out by hand
// (not with the core's serializers, so that a test can catch them), and readable doctest output
// for the call machine's actions.
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>

#include "call_actions.hpp"
#include "identifiers.hpp"

namespace videochat::test {

using nlohmann::json;

inline const protocol::RoomId kRoom{"123"};
inline const protocol::ConnectionId kAlice{"aliceConnId="};
inline const protocol::ConnectionId kBob{"bobConnIdAA="};
inline const protocol::ConnectionId kCarol{"carolConnId="};

inline const std::string kOfferSdp =
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\n";
inline const std::string kAnswerSdp =
    "v=0\r\no=- 2890844526 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=recvonly\r\n";

// RTCIceCandidate.toJSON() of a host candidate; `n` tells candidates apart.
inline json candidate_json(int n) {
  return json{{"candidate", "candidate:" + std::to_string(n) + " 1 udp 2122260223 192.0.2." +
                                std::to_string(n) + " 54400 typ host generation 0"},
              {"sdpMid", "0"},
              {"sdpMLineIndex", 0},
              {"usernameFragment", "EsNP"}};
}

// The relayed messages, as a browser peer writes them.
inline json offer_message(const std::string& sdp) {
  return json{{"type", "offer"}, {"offer", {{"type", "offer"}, {"sdp", sdp}}}};
}
inline json answer_message(const std::string& sdp) {
  return json{{"type", "answer"}, {"answer", {{"type", "answer"}, {"sdp", sdp}}}};
}
inline json candidate_message(const json& candidate) {
  return json{{"type", "candidate"}, {"candidate", candidate}};
}

// The exact frame a client sends to relay `message` to room 123: to one member with `to`, else to
// every other member.
inline std::string relay_frame(const json& message, const std::string& to = {}) {
  json frame{{"action", "sendMsgToRoom"}, {"roomId", kRoom.value}, {"message", message.dump()}};
  if (!to.empty()) frame["to"] = to;
  return frame.dump();
}

inline std::string describe(const client::Action& action) {
  using namespace videochat::client;
  std::ostringstream out;
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, SendToServer>) {
          out << "SendToServer{" << value.text << "}";
        } else if constexpr (std::is_same_v<T, UseIceServers>) {
          out << "UseIceServers{";
          for (const auto& server : value.servers) {
            for (const auto& url : server.urls) out << url << " ";
            out << server.username << "; ";
          }
          out << "}";
        } else if constexpr (std::is_same_v<T, CreatePeer>) {
          out << "CreatePeer{" << value.peer.value << "}";
        } else if constexpr (std::is_same_v<T, CreateOffer>) {
          out << "CreateOffer{" << value.peer.value << (value.ice_restart ? ", ice restart" : "")
              << "}";
        } else if constexpr (std::is_same_v<T, ApplyRemoteDescription>) {
          out << "ApplyRemoteDescription{" << value.peer.value << ", " << to_string(value.type)
              << ", " << json(value.sdp).dump() << "}";
        } else if constexpr (std::is_same_v<T, CreateAnswer>) {
          out << "CreateAnswer{" << value.peer.value << "}";
        } else if constexpr (std::is_same_v<T, AddRemoteCandidate>) {
          out << "AddRemoteCandidate{" << value.peer.value << ", " << value.candidate_json << "}";
        } else if constexpr (std::is_same_v<T, SetSendLimits>) {
          out << "SetSendLimits{" << value.peer.value << ", " << value.max_video_bitrate_bps
              << " bps, /" << value.scale_resolution_down_by << "}";
        } else if constexpr (std::is_same_v<T, ClosePeer>) {
          out << "ClosePeer{" << value.peer.value << "}";
        } else if constexpr (std::is_same_v<T, ShowError>) {
          out << "ShowError{" << value.wire_code << ", " << value.message << "}";
        } else if constexpr (std::is_same_v<T, RoomLockChanged>) {
          out << "RoomLockChanged{" << (value.locked ? "locked" : "unlocked") << ", "
              << (value.by_self ? "by us" : value.by_name.value_or("-")) << "}";
        } else {
          static_assert(std::is_same_v<T, Diagnostic>);
          out << "Diagnostic{" << to_string(value.code) << ", "
              << (value.peer ? std::to_string(value.peer->value) : "-") << ", " << value.detail
              << "}";
        }
      },
      action);
  return out.str();
}

}  // namespace videochat::test

namespace doctest {

template <>
struct StringMaker<videochat::client::Action> {
  static String convert(const videochat::client::Action& action) {
    return videochat::test::describe(action).c_str();
  }
};

template <>
struct StringMaker<videochat::client::PeerKey> {
  static String convert(const videochat::client::PeerKey& key) {
    return ("PeerKey{" + std::to_string(key.value) + "}").c_str();
  }
};

template <>
struct StringMaker<videochat::client::IceCandidate> {
  static String convert(const videochat::client::IceCandidate& candidate) {
    return videochat::protocol::to_json_text(candidate).c_str();
  }
};

template <>
struct StringMaker<videochat::client::Actions> {
  static String convert(const videochat::client::Actions& actions) {
    std::string text = "[";
    for (const auto& action : actions) {
      if (text.size() > 1) text += ",\n ";
      text += videochat::test::describe(action);
    }
    return (text + "]").c_str();
  }
};

}  // namespace doctest
