// /config.json: what the client needs to know about this deployment, so the same static files
// work locally, behind a TLS proxy, and on AWS (where Amplify serves a config.json of its own).
#pragma once

#include <string>
#include <string_view>

#include "options.hpp"

namespace videochat::local {

// `host` is the request's Host header and `forwarded_proto` its X-Forwarded-Proto, so a page
// reached through an HTTPS proxy is told to use wss:// on the same host.
std::string client_config_json(const Options& options, std::string_view host,
                               std::string_view forwarded_proto);

}  // namespace videochat::local
