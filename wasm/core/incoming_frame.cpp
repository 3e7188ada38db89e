#include "incoming_frame.hpp"

#include <type_traits>
#include <utility>

namespace videochat::client {

Parsed<IncomingFrame> parse_incoming_frame(std::string_view text) {
  auto parsed = protocol::parse_server_frame(text);
  if (auto* error = std::get_if<ParseError>(&parsed)) return std::move(*error);
  return std::visit(
      [](auto&& frame) -> Parsed<IncomingFrame> {
        using T = std::decay_t<decltype(frame)>;
        if constexpr (std::is_same_v<T, protocol::Relayed>) {
          auto message = protocol::signal_message_from_json(frame.message);
          if (auto* error = std::get_if<ParseError>(&message)) return std::move(*error);
          return std::move(std::get<SignalMessage>(message));
        } else {
          return IncomingFrame{std::move(frame)};
        }
      },
      std::move(std::get<protocol::ServerFrame>(parsed)));
}

}  // namespace videochat::client
