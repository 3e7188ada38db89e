#include "site_headers.hpp"

namespace videochat::local {

std::string site_content_security_policy(std::string_view frame_ancestors) {
  // style-src 'unsafe-inline': the page's own <style> and the style attributes the client sets
  // through the CSSOM are allowed anyway; the inline <style> in index.html is the reason.
  return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
         "style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; "
         "connect-src 'self' ws: wss:; frame-ancestors " +
         std::string(frame_ancestors) + "; base-uri 'none'; object-src 'none'";
}

}  // namespace videochat::local
