// The headers the site's files are served with: a Content-Security-Policy for our page (no inline
// script, WebAssembly allowed, connections to itself and to WebSocket servers, framed by whom
// --frame-ancestors says), and CORS that lets any page load embed.js and the module behind it
// (public files, fetched without credentials). customHttp.yml says the same for Amplify.
#pragma once

#include <string>
#include <string_view>

namespace videochat::local {

std::string site_content_security_policy(std::string_view frame_ancestors);

}  // namespace videochat::local
