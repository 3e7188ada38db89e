#include "tls_client.hpp"

#include <arpa/inet.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "ca_directory.hpp"
#include "secure_random.hpp"

namespace videochat::aws::http {

namespace {

std::string words_for(int code) {
  char text[200];
  mbedtls_strerror(code, text, sizeof text);
  return text;
}

class MbedTlsCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "mbedtls"; }
  std::string message(int code) const override { return words_for(code); }
};

boost::system::error_code tls_error(int code) {
  static const MbedTlsCategory category;
  return {code, category};
}

void parse_bundle(mbedtls_x509_crt& trusted, const std::string& file) {
  // A positive result counts certificates mbedTLS could not read; the others are used, as
  // OpenSSL would.
  if (const int failed = mbedtls_x509_crt_parse_file(&trusted, file.c_str()); failed < 0) {
    throw std::runtime_error("cannot read the CA bundle " + file + ": " + words_for(failed));
  }
}

// Only the hash-named entries: each certificate once (Debian's folder also holds every
// certificate under its own name, and the bundle).
void parse_hashed_directory(mbedtls_x509_crt& trusted, const std::string& folder) {
  std::error_code error;
  std::filesystem::directory_iterator entries(folder, error);
  if (error)
    throw std::runtime_error("cannot read the CA directory " + folder + ": " + error.message());
  bool any = false;
  for (const auto& entry : entries) {
    if (!is_hashed_certificate_name(entry.path().filename().string())) continue;
    // An unreadable one is skipped, as in a bundle; but not all of them.
    any |= mbedtls_x509_crt_parse_file(&trusted, entry.path().c_str()) == 0;
  }
  if (!any) throw std::runtime_error("no CA certificate in " + folder + " could be read");
}

// The address `host` names, in network order (4 or 16 bytes), or empty for a name.
std::vector<unsigned char> address_bytes(const std::string& host) {
  unsigned char bytes[16];
  if (inet_pton(AF_INET, host.c_str(), bytes) == 1) return {bytes, bytes + 4};
  if (inet_pton(AF_INET6, host.c_str(), bytes) == 1) return {bytes, bytes + 16};
  return {};
}

// Whether `certificate` lists `address` among its subject alternative names (iPAddress, [7]).
bool names_address(const mbedtls_x509_crt& certificate, const std::vector<unsigned char>& address) {
  for (const mbedtls_x509_sequence* name = &certificate.subject_alt_names; name;
       name = name->next) {
    if (name->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && name->buf.len == address.size() &&
        std::memcmp(name->buf.p, address.data(), address.size()) == 0) {
      return true;
    }
  }
  return false;
}

// The certificate check's verdict in words.
std::string verdict(std::uint32_t flags, bool self_signed, bool no_trust) {
  std::string text;
  const auto add = [&text](const std::string& part) { text += (text.empty() ? "" : "; ") + part; };
  const std::uint32_t named = MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_CN_MISMATCH |
                              MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE;
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
    add(no_trust      ? "no CA certificates to verify it against"
        : self_signed ? "self-signed certificate"
                      : "its issuer is not a trusted CA");
  }
  if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) add("hostname mismatch");
  if (flags & MBEDTLS_X509_BADCERT_EXPIRED) add("certificate has expired");
  if (flags & MBEDTLS_X509_BADCERT_FUTURE) add("certificate is not yet valid");
  if (const std::uint32_t rest = flags & ~named) {
    char info[512];
    const int length = mbedtls_x509_crt_verify_info(info, sizeof info, "", rest);
    std::string lines(info, length > 0 ? static_cast<std::size_t>(length) : 0);
    while (!lines.empty() && lines.back() == '\n') lines.pop_back();
    for (auto at = lines.find('\n'); at != std::string::npos; at = lines.find('\n', at)) {
      lines.replace(at, 1, "; ");
    }
    add(lines.empty() ? "verification flags " + std::to_string(rest) : lines);
  }
  return text;
}

// The random generator's seed: the kernel's generator. Not mbedtls_entropy_func, which Debian's
// build backs with HAVEGE, a timing-jitter collector that costs a million instructions to start.
int kernel_entropy(void*, unsigned char* out, std::size_t size) {
  try {
    fill_random({out, size});
    return 0;
  } catch (const std::system_error&) {
    return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
  }
}

}  // namespace

struct TlsClientConfig::State {
  mbedtls_x509_crt trusted;
  mbedtls_ctr_drbg_context random;  // thread-safe: mbedTLS is built with MBEDTLS_THREADING_C
  mbedtls_ssl_config ssl;

  State() {
    mbedtls_x509_crt_init(&trusted);
    mbedtls_ctr_drbg_init(&random);
    mbedtls_ssl_config_init(&ssl);
  }
  ~State() {
    mbedtls_ssl_config_free(&ssl);
    mbedtls_ctr_drbg_free(&random);
    mbedtls_x509_crt_free(&trusted);
  }
};

TlsClientConfig::TlsClientConfig(const std::optional<std::string>& ca_bundle,
                                 const std::optional<std::string>& ca_directory)
    : state_(std::make_unique<State>()) {
  if (ca_bundle) {
    parse_bundle(state_->trusted, *ca_bundle);
  } else if (ca_directory) {
    parse_hashed_directory(state_->trusted, *ca_directory);
  }
  if (const int failed =
          mbedtls_ctr_drbg_seed(&state_->random, kernel_entropy, nullptr, nullptr, 0)) {
    throw std::runtime_error("cannot seed TLS's random generator: " + words_for(failed));
  }
  auto& ssl = state_->ssl;
  if (const int failed = mbedtls_ssl_config_defaults(
          &ssl, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) {
    throw std::runtime_error("cannot set TLS up: " + words_for(failed));
  }
  mbedtls_ssl_conf_authmode(&ssl, MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(&ssl, &state_->trusted, nullptr);
  mbedtls_ssl_conf_min_version(&ssl, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_rng(&ssl, mbedtls_ctr_drbg_random, &state_->random);
}

TlsClientConfig::~TlsClientConfig() = default;

std::size_t TlsClientConfig::trusted_count() const {
  std::size_t count = 0;
  for (const mbedtls_x509_crt* c = &state_->trusted; c && c->raw.len > 0; c = c->next) ++count;
  return count;
}

struct TlsSession::State {
  TlsClientConfig& config;
  int fd;
  Deadline deadline{};
  mbedtls_ssl_context ssl;
  int setup_result = 0;
  // What the socket said when a bio call failed: the real cause behind mbedTLS's code.
  boost::system::error_code io_error;
  bool untrusted_self_signed = false;

  State(TlsClientConfig& config, int fd) : config(config), fd(fd) {
    mbedtls_ssl_init(&ssl);
    setup_result = mbedtls_ssl_setup(&ssl, &config.state_->ssl);
    mbedtls_ssl_set_bio(&ssl, this, &State::send, &State::receive, nullptr);
    mbedtls_ssl_set_verify(&ssl, &State::on_verify, this);
  }
  ~State() { mbedtls_ssl_free(&ssl); }

  static int send(void* context, const unsigned char* data, std::size_t size) {
    auto& self = *static_cast<State*>(context);
    const std::size_t sent = socket_write(self.fd, data, size, self.deadline, self.io_error);
    if (!self.io_error) return static_cast<int>(sent);
    return self.io_error == boost::beast::error::timeout ? MBEDTLS_ERR_SSL_TIMEOUT
                                                         : MBEDTLS_ERR_NET_SEND_FAILED;
  }

  static int receive(void* context, unsigned char* data, std::size_t size) {
    auto& self = *static_cast<State*>(context);
    const std::size_t got = socket_read(self.fd, data, size, self.deadline, self.io_error);
    if (!self.io_error) return static_cast<int>(got);
    if (self.io_error == boost::asio::error::eof) return 0;  // mbedTLS's "closed"
    return self.io_error == boost::beast::error::timeout ? MBEDTLS_ERR_SSL_TIMEOUT
                                                         : MBEDTLS_ERR_NET_RECV_FAILED;
  }

  // Called for each certificate of the server's chain: notes an untrusted self-signed one, so
  // the verdict can say so. The flags are left as they are.
  static int on_verify(void* context, mbedtls_x509_crt* certificate, int, std::uint32_t* flags) {
    auto& self = *static_cast<State*>(context);
    const bool self_issued = certificate->subject_raw.len == certificate->issuer_raw.len &&
                             std::memcmp(certificate->subject_raw.p, certificate->issuer_raw.p,
                                         certificate->issuer_raw.len) == 0;
    if (self_issued && (*flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED))
      self.untrusted_self_signed = true;
    return 0;
  }

  // One mbedTLS read or write (`call`): the bytes it moved, or 0 with `error` set. Called again
  // while mbedTLS only asks for that (it does not with this blocking bio; the loop is its
  // contract).
  template <class Call>
  std::size_t transfer(Call call, boost::system::error_code& error) {
    io_error = {};
    for (;;) {
      const int done = call(&ssl);
      if (done > 0) {
        error = {};
        return static_cast<std::size_t>(done);
      }
      if (done == MBEDTLS_ERR_SSL_WANT_READ || done == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
      error = error_of(done);
      return 0;
    }
  }

  // The error behind a failed mbedTLS call: the socket's when it had one.
  boost::system::error_code error_of(int result) const {
    if (io_error) return io_error;
    if (result == 0 || result == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
        result == MBEDTLS_ERR_SSL_CONN_EOF) {
      return boost::asio::error::eof;
    }
    return tls_error(result);
  }
};

TlsSession::TlsSession(TlsClientConfig& config, int fd)
    : state_(std::make_unique<State>(config, fd)) {}

TlsSession::~TlsSession() = default;

void TlsSession::set_deadline(Deadline deadline) {
  state_->deadline = deadline;
}

std::optional<std::string> TlsSession::handshake(const std::string& host, bool& timed_out) {
  timed_out = false;
  auto& state = *state_;
  if (state.setup_result != 0)
    return "cannot set the TLS session up: " + words_for(state.setup_result);
  const auto address = address_bytes(host);
  // A name is sent (SNI) and checked against the certificate by mbedTLS; an address is checked
  // below (SNI carries names only).
  // Checked: a name mbedTLS refuses (over 255 bytes) would leave it unset, and mbedTLS 2.28
  // then verifies the chain with no name check at all.
  if (address.empty()) {
    if (const int refused = mbedtls_ssl_set_hostname(&state.ssl, host.c_str())) {
      return "cannot check the server's name " + host + ": " + words_for(refused);
    }
  }
  state.io_error = {};
  int result = 0;
  do {
    result = mbedtls_ssl_handshake(&state.ssl);
  } while (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE);
  if (result == 0) {
    const mbedtls_x509_crt* certificate = mbedtls_ssl_get_peer_cert(&state.ssl);
    if (address.empty() || (certificate && names_address(*certificate, address)))
      return std::nullopt;
    return "certificate not trusted: IP address mismatch";
  }
  const std::uint32_t flags = mbedtls_ssl_get_verify_result(&state.ssl);
  if (flags != 0 && flags != static_cast<std::uint32_t>(-1)) {
    return "certificate not trusted: " +
           verdict(flags, state.untrusted_self_signed, state.config.trusted_count() == 0);
  }
  timed_out = state.io_error == boost::beast::error::timeout;
  return timed_out ? std::string("timed out") : state.error_of(result).message();
}

std::size_t TlsSession::read_some(void* data, std::size_t size, boost::system::error_code& error) {
  return state_->transfer(
      [&](mbedtls_ssl_context* ssl) {
        return mbedtls_ssl_read(ssl, static_cast<unsigned char*>(data), size);
      },
      error);
}

std::size_t TlsSession::write_some(const void* data, std::size_t size,
                                   boost::system::error_code& error) {
  return state_->transfer(
      [&](mbedtls_ssl_context* ssl) {
        return mbedtls_ssl_write(ssl, static_cast<const unsigned char*>(data), size);
      },
      error);
}

}  // namespace videochat::aws::http
