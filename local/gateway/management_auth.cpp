#include "management_auth.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "amz_date.hpp"
#include "http_target.hpp"
#include "sigv4.hpp"

namespace videochat::local {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr auto kMaxSkew = std::chrono::minutes(5);

const aws::Header* find_header(const ReceivedRequest& request, std::string_view lower_name) {
  for (const auto& header : request.headers) {
    if (ascii_lower(header.name) == lower_name) return &header;
  }
  return nullptr;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

struct AuthorizationHeader {
  std::string credential;      // AKID/20150830/us-east-1/execute-api/aws4_request
  std::string signed_headers;  // host;x-amz-date
  std::string signature;
};

std::optional<AuthorizationHeader> parse_authorization(std::string_view value) {
  value = trim(value);
  if (!value.starts_with(kAlgorithm)) return std::nullopt;
  value.remove_prefix(kAlgorithm.size());
  AuthorizationHeader parsed;
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view part = trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = part.substr(0, eq), field = part.substr(eq + 1);
    if (key == "Credential") parsed.credential = field;
    else if (key == "SignedHeaders") parsed.signed_headers = field;
    else if (key == "Signature") parsed.signature = field;
  }
  if (parsed.credential.empty() || parsed.signed_headers.empty() || parsed.signature.empty()) {
    return std::nullopt;
  }
  return parsed;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

// "20150830T123600Z" as a time point (AmzDate::parse has already validated the text).
std::chrono::system_clock::time_point time_of(const aws::AmzDate& date) {
  const std::string& text = date.text();
  std::tm utc{};
  utc.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  utc.tm_mon = std::stoi(text.substr(4, 2)) - 1;
  utc.tm_mday = std::stoi(text.substr(6, 2));
  utc.tm_hour = std::stoi(text.substr(9, 2));
  utc.tm_min = std::stoi(text.substr(11, 2));
  utc.tm_sec = std::stoi(text.substr(13, 2));
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

AuthRefusal mismatch() {
  return {"InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check "
          "your AWS Secret Access Key and signing method."};
}

}  // namespace

std::optional<AuthRefusal> verify_management_request(const ReceivedRequest& request,
                                                     const ManagementCredentials& credentials,
                                                     std::chrono::system_clock::time_point now) {
  return verify_signed_request(request, credentials, "execute-api", now);
}

std::optional<AuthRefusal> verify_signed_request(const ReceivedRequest& request,
                                                 const ManagementCredentials& credentials,
                                                 std::string_view service,
                                                 std::chrono::system_clock::time_point now) {
  const aws::Header* authorization = find_header(request, "authorization");
  if (!authorization) return AuthRefusal{"MissingAuthenticationTokenException", "Missing Authentication Token"};
  auto parsed = parse_authorization(authorization->value);
  if (!parsed) {
    return AuthRefusal{"IncompleteSignatureException",
                       "Authorization header requires Credential, SignedHeaders and Signature "
                       "with algorithm AWS4-HMAC-SHA256."};
  }
  auto scope = split(parsed->credential, '/');
  if (scope.size() != 5 || scope[4] != "aws4_request") {
    return AuthRefusal{"IncompleteSignatureException", "Credential is not KEY/DATE/REGION/SERVICE/aws4_request."};
  }
  if (scope[2] != credentials.region || scope[3] != service) {
    return AuthRefusal{"InvalidSignatureException",
                       "Credential should be scoped to region " + credentials.region +
                           " and service " + std::string(service) + ", not " + scope[2] + "/" +
                           scope[3] + "."};
  }
  const aws::Header* date_header = find_header(request, "x-amz-date");
  auto date = date_header ? aws::AmzDate::parse(trim(date_header->value)) : std::nullopt;
  if (!date) {
    return AuthRefusal{"IncompleteSignatureException", "X-Amz-Date is missing or malformed."};
  }
  if (scope[1] != date->date()) {
    return AuthRefusal{"InvalidSignatureException", "Credential date does not match X-Amz-Date."};
  }
  auto skew = now - time_of(*date);
  if (skew > kMaxSkew || skew < -kMaxSkew) {
    return AuthRefusal{"InvalidSignatureException",
                       "Signature expired: " + date->text() + " is more than 5 minutes from now."};
  }

  // Re-sign the request as received, with the headers the client said it signed.
  auto signed_names = split(parsed->signed_headers, ';');
  auto is_signed = [&](std::string_view name) {
    return std::find(signed_names.begin(), signed_names.end(), name) != signed_names.end();
  };
  if (!is_signed("host") || !is_signed("x-amz-date")) return mismatch();
  aws::HttpRequest resigned;
  resigned.method = request.method;
  resigned.path = request.path;
  resigned.body = request.body;
  const aws::Header* host = find_header(request, "host");
  if (!host) return mismatch();
  resigned.host = std::string(trim(host->value));
  for (const auto& [name, value] : parse_query(request.query)) resigned.query.push_back({name, value});
  aws::SigningParams params{
      {credentials.access_key_id, credentials.secret_access_key, std::nullopt},
      credentials.region,
      std::string(service),
      *date,
  };
  for (const auto& header : request.headers) {
    std::string name = ascii_lower(header.name);
    if (!is_signed(name) || name == "host" || name == "x-amz-date") continue;
    if (name == "x-amz-security-token") {
      params.credentials.session_token = header.value;
    } else if (name == "x-amz-content-sha256") {
      params.payload_hash_header = aws::PayloadHashHeader::Add;
    } else {
      resigned.headers.push_back(header);
    }
  }
  try {
    aws::Signature expected = aws::sign(resigned, params);
    if (expected.signed_headers != parsed->signed_headers ||
        !equal_in_constant_time(expected.signature, parsed->signature)) {
      return mismatch();
    }
  } catch (const aws::SigningError& error) {
    return AuthRefusal{"InvalidSignatureException", error.what()};
  }
  // Only now, as AWS's own answer would otherwise be an oracle: a caller without the secret
  // learns the same from any key id, so it cannot find out which ids exist. (The key id is not
  // in what is signed, so only a holder of the secret gets this far with another id.)
  if (scope[0] != credentials.access_key_id) {
    return AuthRefusal{"UnrecognizedClientException",
                       "The security token included in the request is invalid."};
  }
  return std::nullopt;
}

std::optional<ManagementCredentials> parse_management_credentials(const std::string& text) {
  auto parts = split(text, ':');
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty()) {
    return std::nullopt;
  }
  ManagementCredentials credentials{parts[0], parts[1]};
  if (parts.size() == 3 && !parts[2].empty()) credentials.region = parts[2];
  return credentials;
}

}  // namespace videochat::local
