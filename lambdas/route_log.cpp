#include "route_log.hpp"

#include <nlohmann/json.hpp>

#include "json_string.hpp"

namespace videochat::lambdas {

namespace {

// A JSON string, invalid UTF-8 replaced: the error may quote what a client sent.
void append_replacing(std::string& out, std::string_view text) {
  out.append(nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

std::string render(const RouteLine& line) {
  std::string out;
  out.reserve(160);
  render_into(out, line);
  return out;
}

void render_into(std::string& out, const RouteLine& line) {
  out.append(R"("event":"route","route":)");
  append_json_string(out, line.route);
  out.append(R"(,"connectionId":)");
  append_json_string(out, line.connection_id);
  out.append(R"(,"status":)").append(std::to_string(line.status));
  if (line.duration_us) out.append(R"(,"durationUs":)").append(std::to_string(*line.duration_us));
  if (!line.request_id.empty()) {
    out.append(R"(,"requestId":)");
    append_json_string(out, line.request_id);
  }
  if (line.status >= 400 && line.error) {
    out.append(R"(,"error":)");
    append_replacing(out, *line.error);
  }
}

void write_route_line(Logger& log, const RouteLine& line, std::string_view extra_members) {
  // One line per routed message: rendered into a buffer each thread reuses, not allocated anew.
  thread_local std::string members;
  members.clear();
  render_into(members, line);
  if (!extra_members.empty()) members.append(",").append(extra_members);
  log.write_rendered(members);
}

}  // namespace videochat::lambdas
