#include "participant.hpp"

namespace videochat::protocol {

std::string_view to_string(LeaveReason reason) {
  switch (reason) {
    case LeaveReason::Left:
      return "left";
    case LeaveReason::Disconnected:
      return "disconnected";
  }
  return "disconnected";
}

}  // namespace videochat::protocol
