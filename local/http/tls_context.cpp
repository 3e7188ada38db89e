#include "tls_context.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace videochat::local {

namespace ssl = boost::asio::ssl;

namespace {

// OpenSSL's reason for the last failure ("no start line", "key values mismatch"), and its queue
// emptied so the next failure does not report this one.
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  const char* reason = ERR_reason_error_string(code);
  return reason ? reason : "error " + std::to_string(code);
}

std::string unreadable(const std::string& path) {
  std::ifstream file(path);
  if (file) return {};
  return "cannot read " + path + ": " + std::strerror(errno);
}

std::vector<std::string> subject_alt_names(X509* cert) {
  std::vector<std::string> names;
  auto* general = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!general) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(general); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(general, i);
    if (name->type == GEN_DNS) {
      const auto* text = name->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                         static_cast<std::size_t>(ASN1_STRING_length(text)));
    } else if (name->type == GEN_IPADD) {
      const auto* bytes = name->d.iPAddress;
      const int length = ASN1_STRING_length(bytes);
      char text[INET6_ADDRSTRLEN] = {};
      if ((length == 4 || length == 16) &&
          inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(bytes), text,
                    sizeof text)) {
        names.emplace_back(text);
      }
    }
  }
  GENERAL_NAMES_free(general);
  return names;
}

std::string printed_time(const ASN1_TIME* time) {
  BIO* out = BIO_new(BIO_s_mem());
  ASN1_TIME_print(out, time);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  std::string text(data, static_cast<std::size_t>(size));
  BIO_free(out);
  return text;
}

// A client that names a host (every browser does, for a host name; none does for an address)
// must name one the certificate covers: a mistyped or foreign name ends in an "unrecognized
// name" alert rather than a certificate the browser would reject anyway.
int check_server_name(SSL* ssl, int* alert, void*) {
  if (server_name_problem(ssl).empty()) return SSL_TLSEXT_ERR_OK;
  *alert = SSL_AD_UNRECOGNIZED_NAME;
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

}  // namespace

std::variant<TlsSetup, std::string> make_tls_context(const std::string& cert_file,
                                                     const std::string& key_file) {
  for (const auto* path : {&cert_file, &key_file}) {
    if (auto problem = unreadable(*path); !problem.empty()) return problem;
  }
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  ERR_clear_error();
  // Mozilla's "modern" profile: TLS 1.3 only, which every browser of the last five years speaks.
  if (SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) != 1) {
    return "cannot require TLS 1.3: " + openssl_reason();
  }
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1) {
    return "no PEM certificate in " + cert_file + ": " + openssl_reason();
  }
  const std::string mismatch =
      "the key in " + key_file + " does not belong to the certificate in " + cert_file;
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return mismatch;
    }
    return "no PEM private key in " + key_file + ": " + openssl_reason();
  }
  if (SSL_CTX_check_private_key(native) != 1) return mismatch;
  X509* cert = SSL_CTX_get0_certificate(native);
  TlsSetup setup{context, subject_alt_names(cert), printed_time(X509_get0_notAfter(cert))};
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
    return "the certificate in " + cert_file + " expired on " + setup.not_after;
  }
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
    return "the certificate in " + cert_file + " is not valid before " +
           printed_time(X509_get0_notBefore(cert));
  }
  if (setup.names.empty()) {
    return "the certificate in " + cert_file +
           " names no host (no subjectAltName): browsers accept none without one";
  }
  SSL_CTX_set_tlsext_servername_callback(native, check_server_name);
  return setup;
}

std::string server_name_problem(SSL* ssl) {
  const std::string name = requested_server_name(ssl);
  if (name.empty()) return {};
  X509* cert = SSL_get_certificate(ssl);
  if (cert && X509_check_host(cert, name.data(), name.size(), 0, nullptr) == 1) return {};
  return "the client asked for " + name + ", which the certificate does not name";
}

std::string requested_server_name(SSL* ssl) {
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  return name ? name : "";
}

}  // namespace videochat::local
