// The `route` log line: one per invocation of a route, written the same way wherever a handler runs
// (in videochat-local's process, by its Lambda mode's gateway, inside the Lambda function, by the
// connections tool), so one query finds them all:
//   {"event":"route","route":"joinRoom","connectionId":"…","status":200,"durationUs":41,…,"ts":…}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "logger.hpp"

namespace videochat::lambdas {

struct RouteLine {
  std::string_view route;
  std::string_view connection_id;
  int status = 200;
  std::optional<std::int64_t> duration_us;
  std::string_view request_id;  // API Gateway's; left out when empty
  // The response body of a failed invocation (status 400 and above): what the sender was told.
  std::optional<std::string_view> error;
};

// The line's members as JSON text (without braces), for Logger::write_rendered.
std::string render(const RouteLine& line);
// The same, appended to `out`.
void render_into(std::string& out, const RouteLine& line);
// Writes the line; `extra_members` (already rendered, e.g. `"pid":12`) are added at its end.
void write_route_line(Logger& log, const RouteLine& line, std::string_view extra_members = {});

}  // namespace videochat::lambdas
