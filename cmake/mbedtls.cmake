# mbedTLS (Debian's libmbedtls-dev, and libmbedtls-dev:arm64 for the cross build): the Lambda's
# TLS and cryptography. Its static libraries, so the zip stays one static program; Debian ships
# no CMake package for it, hence these imported targets. Chosen over OpenSSL 3.0 for the cold
# start: OpenSSL spends about 3.5 ms of every cold start loading its providers (the first digest,
# then SSL_CTX_new fetching every cipher), mbedTLS needs no set-up at all (docs/aws.md).
find_package(Threads REQUIRED)
find_path(MBEDTLS_INCLUDE_DIR mbedtls/ssl.h REQUIRED)
find_library(MBEDCRYPTO_LIBRARY NAMES libmbedcrypto.a REQUIRED)
find_library(MBEDX509_LIBRARY NAMES libmbedx509.a REQUIRED)
find_library(MBEDTLS_LIBRARY NAMES libmbedtls.a REQUIRED)

# Imported static libraries, each naming the one it needs, so every link line lists them in the
# order a static link wants (tls, x509, crypto) whatever else pulls crypto in earlier.
add_library(mbedtls_crypto STATIC IMPORTED)
set_target_properties(mbedtls_crypto PROPERTIES IMPORTED_LOCATION ${MBEDCRYPTO_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${MBEDTLS_INCLUDE_DIR} INTERFACE_LINK_LIBRARIES Threads::Threads)
add_library(mbedtls_x509 STATIC IMPORTED)
set_target_properties(mbedtls_x509 PROPERTIES IMPORTED_LOCATION ${MBEDX509_LIBRARY}
  INTERFACE_LINK_LIBRARIES mbedtls_crypto)
add_library(mbedtls_tls STATIC IMPORTED)
set_target_properties(mbedtls_tls PROPERTIES IMPORTED_LOCATION ${MBEDTLS_LIBRARY}
  INTERFACE_LINK_LIBRARIES mbedtls_x509)
