#include "client_config.hpp"

#include <nlohmann/json.hpp>

namespace videochat::local {

std::string client_config_json(const Options& options, std::string_view host,
                               std::string_view forwarded_proto) {
  std::string url = options.signaling_url;
  if (url.empty()) {
    url = (forwarded_proto == "https" ? "wss://" : "ws://") + std::string(host) + "/" +
          options.stage;
  }
  nlohmann::json config{
      {"signalingUrl", url},
      {"iceServers", nlohmann::json::parse(options.ice_servers)},
  };
  if (options.relay_only) config["iceTransportPolicy"] = "relay";
  return config.dump();
}

}  // namespace videochat::local
