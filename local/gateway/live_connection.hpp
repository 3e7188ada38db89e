// What the rest of the server may do with an open WebSocket, whichever thread it is on.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace videochat::local {

struct ConnectionSnapshot {
  std::int64_t connected_at_ms = 0;
  std::int64_t last_active_at_ms = 0;
  std::string source_ip;
  std::string user_agent;
};

class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  // Queues one text frame; false when the connection is already closing.
  virtual bool send(std::shared_ptr<const std::string> frame) = 0;
  // Starts a close handshake with this code and reason.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  virtual ConnectionSnapshot snapshot() const = 0;
};

}  // namespace videochat::local
