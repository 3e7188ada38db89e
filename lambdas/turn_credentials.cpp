#include "turn_credentials.hpp"

#include <mbedtls/base64.h>
#include <mbedtls/md.h>

#include <array>
#include <stdexcept>

namespace videochat::lambdas {

std::string turn_password(std::string_view secret, std::string_view username) {
  std::array<unsigned char, 20> mac{};
  if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA1),
                      reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                      reinterpret_cast<const unsigned char*>(username.data()), username.size(),
                      mac.data()) != 0) {
    throw std::runtime_error("mbedTLS could not compute HMAC-SHA1");  // only out of memory
  }
  // 20 bytes make 28 base64 characters, and mbedtls_base64_encode writes a terminating NUL.
  std::array<unsigned char, 29> text{};
  std::size_t length = 0;
  if (mbedtls_base64_encode(text.data(), text.size(), &length, mac.data(), mac.size()) != 0) {
    throw std::runtime_error("mbedTLS could not encode the TURN password");
  }
  return std::string(reinterpret_cast<const char*>(text.data()), length);
}

TurnCredential turn_credential(const TurnConfig& config, std::string_view user,
                               std::int64_t now_s) {
  std::string username = std::to_string(now_s + config.lifetime.count());
  username.append(1, ':').append(user);
  std::string password = turn_password(config.secret, username);
  return {std::move(username), std::move(password)};
}

protocol::IceServer turn_ice_server(const TurnConfig& config, std::string_view user,
                                    std::int64_t now_s) {
  TurnCredential credential = turn_credential(config, user, now_s);
  return {config.urls, std::move(credential.username), std::move(credential.password)};
}

std::string turn_url_problem(std::string_view url) {
  std::string_view rest = url;
  if (rest.starts_with("turn:")) {
    rest.remove_prefix(5);
  } else if (rest.starts_with("turns:")) {
    rest.remove_prefix(6);
  } else {
    return "a TURN URL starts with turn: or turns:, not '" + std::string(url) + "'";
  }
  const std::string_view host = rest.substr(0, rest.find_first_of(":?"));
  if (host.empty()) return "the TURN URL '" + std::string(url) + "' names no host";
  if (rest.find_first_of(" \t\r\n,\"\\") != std::string_view::npos) {
    return "the TURN URL '" + std::string(url) + "' has a space, comma, quote or backslash";
  }
  return {};
}

}  // namespace videochat::lambdas
