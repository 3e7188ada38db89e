// sigv4-sign: signs the request described on stdin (JSON, as tests/tools/botocore_sign.py reads
// it) with our signer and prints the Authorization header's value; the sigv4_botocore test runs
// both and compares. --verbose writes the canonical request and string to sign to stderr.
// Exit status: 0 signed, 2 a description that is not a request, or a request the signer refuses.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sigv4.hpp"

namespace {

using nlohmann::json;
using namespace videochat::aws;

// Untrusted input: each field is checked for its type here, and a bad one named.
std::string text(const json& spec, const char* field) {
  if (!spec.contains(field) || !spec.at(field).is_string()) {
    throw std::invalid_argument(std::string("\"") + field + "\" must be a string");
  }
  return spec.at(field).get<std::string>();
}

std::vector<std::pair<std::string, std::string>> pairs(const json& spec, const char* field) {
  std::vector<std::pair<std::string, std::string>> result;
  if (!spec.contains(field)) return result;
  const json& list = spec.at(field);
  if (!list.is_array())
    throw std::invalid_argument(std::string("\"") + field + "\" must be a list");
  for (const json& pair : list) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      throw std::invalid_argument(std::string("each of \"") + field +
                                  "\" must be a [name, value] pair of strings");
    }
    result.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  return result;
}

std::pair<HttpRequest, SigningParams> parse(const json& spec) {
  if (!spec.is_object()) throw std::invalid_argument("the description must be a JSON object");
  HttpRequest request;
  request.method = text(spec, "method");
  request.host = text(spec, "host");
  request.path = text(spec, "path");
  if (spec.contains("body")) request.body = text(spec, "body");
  for (auto& [name, value] : pairs(spec, "query")) request.query.push_back({name, value});
  for (auto& [name, value] : pairs(spec, "headers")) request.headers.push_back({name, value});

  const auto time = AmzDate::parse(text(spec, "timestamp"));
  if (!time) throw std::invalid_argument("\"timestamp\" must be YYYYMMDDTHHMMSSZ");
  Credentials credentials{text(spec, "access_key_id"), text(spec, "secret_access_key"), {}};
  if (spec.contains("session_token") && !spec.at("session_token").is_null()) {
    credentials.session_token = text(spec, "session_token");
  }
  bool hash_header = false;
  if (spec.contains("payload_hash_header")) {
    if (!spec.at("payload_hash_header").is_boolean()) {
      throw std::invalid_argument("\"payload_hash_header\" must be true or false");
    }
    hash_header = spec.at("payload_hash_header").get<bool>();
  }
  return {std::move(request),
          SigningParams{std::move(credentials), text(spec, "region"), text(spec, "service"), *time,
                        hash_header ? PayloadHashHeader::Add : PayloadHashHeader::Omit}};
}

}  // namespace

int main(int argc, char** argv) {
  const bool verbose = argc > 1 && std::string_view(argv[1]) == "--verbose";
  try {
    const std::string input{std::istreambuf_iterator<char>(std::cin), {}};
    const auto [request, params] = parse(json::parse(input));
    const Signature signature = sign(request, params);
    if (verbose) {
      std::cerr << "sigv4-sign: CanonicalRequest:\n"
                << signature.canonical_request << "\nsigv4-sign: StringToSign:\n"
                << signature.string_to_sign << '\n';
    }
    std::cout << signature.authorization << '\n';
    return 0;
  } catch (const SigningError& error) {
    std::cerr << "sigv4-sign: refused (" << to_string(error.code()) << "): " << error.what()
              << '\n';
  } catch (const json::exception& error) {
    std::cerr << "sigv4-sign: not JSON: " << error.what() << '\n';
  } catch (const std::invalid_argument& error) {
    std::cerr << "sigv4-sign: bad request description: " << error.what() << '\n';
  }
  return 2;
}
