// Choosing a CA directory in OpenSSL's hashed layout (ca_directory.hpp): the names that count,
// and folders without them (Amazon Linux's /etc/ssl/certs holds only a bundle) passed over.
#include "ca_directory.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using videochat::aws::http::find_hashed_ca_directory;
using videochat::aws::http::is_hashed_certificate_name;

namespace {

// A fresh folder holding empty files of the given names.
std::filesystem::path folder_with(const std::string& name,
                                  std::initializer_list<const char*> files) {
  auto folder = std::filesystem::temp_directory_path() / ("ca-directory-test-" + name);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  for (const char* file : files) std::ofstream(folder / file).put('\n');
  return folder;
}

}  // namespace

TEST_SUITE("hashed CA directory") {
  TEST_CASE("a subject hash, a dot and a number is a hashed certificate name; nothing else is") {
    CHECK(is_hashed_certificate_name("3513523f.0"));
    CHECK(is_hashed_certificate_name("9d04f354.12"));
    CHECK_FALSE(is_hashed_certificate_name("ca-bundle.crt"));
    CHECK_FALSE(is_hashed_certificate_name("3513523F.0"));  // c_rehash writes lowercase
    CHECK_FALSE(is_hashed_certificate_name("3513523f."));
    CHECK_FALSE(is_hashed_certificate_name("3513523f.r0"));  // a CRL's link
    CHECK_FALSE(is_hashed_certificate_name("3513523.0"));
  }

  TEST_CASE("the first folder with a hashed name wins; bundle-only and missing ones are skipped") {
    auto bundle_only = folder_with("bundle", {"ca-bundle.crt", "README"});
    auto hashed = folder_with("hashed", {"ca-certificates.crt", "3513523f.0"});
    auto missing = std::filesystem::temp_directory_path() / "ca-directory-test-missing";
    std::filesystem::remove_all(missing);
    CHECK(find_hashed_ca_directory({missing.string(), bundle_only.string(), hashed.string()}) ==
          hashed.string());
    CHECK_FALSE(find_hashed_ca_directory({missing.string(), bundle_only.string()}));
    std::filesystem::remove_all(bundle_only);
    std::filesystem::remove_all(hashed);
  }
}
