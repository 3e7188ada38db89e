#include "curl_http_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace videochat::aws::http {

namespace {

// libcurl's global state, set up once per process before the first handle.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string trim(std::string_view text) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::size_t append_header(char* data, std::size_t size, std::size_t count, void* user) {
  std::string_view line(data, size * count);
  auto* headers = static_cast<std::vector<Header>*>(user);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after a 100 Continue or a redirect)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    headers->push_back({trim(line.substr(0, colon)), trim(line.substr(colon + 1))});
  }
  return size * count;
}

}  // namespace

struct CurlTransport::Handle {
  CURL* curl = nullptr;
  Handle() : curl(curl_easy_init()) {}
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
};

CurlTransport::CurlTransport(std::optional<std::string> ca_bundle)
    : ca_bundle_(std::move(ca_bundle)) {
  init_curl_once();
}

CurlTransport::~CurlTransport() = default;

std::unique_ptr<CurlTransport::Handle> CurlTransport::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  return std::make_unique<Handle>();
}

void CurlTransport::release(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(handle));
}

Result CurlTransport::send(const Request& request, std::chrono::milliseconds timeout) {
  auto handle = acquire();
  CURL* curl = handle->curl;
  if (curl == nullptr) return Failure{false, "curl_easy_init failed"};
  // Reset keeps the handle's live connections, so the next call skips TCP and TLS setup.
  curl_easy_reset(curl);

  Response response;
  char error_text[CURL_ERROR_SIZE] = {};
  curl_slist* header_list = nullptr;
  for (const auto& header : request.headers) {
    header_list = curl_slist_append(header_list, (header.name + ": " + header.value).c_str());
  }
  // No "Expect: 100-continue" round trip before larger bodies.
  header_list = curl_slist_append(header_list, "Expect:");

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max<long long>(timeout.count(), 1)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &append_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (ca_bundle_) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_bundle_->c_str());

  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(header_list);
  if (code != CURLE_OK) {
    std::string message = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    // A failed handle may hold a broken connection: let it go rather than reuse it.
    return Failure{code == CURLE_OPERATION_TIMEDOUT, std::move(message)};
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  release(std::move(handle));
  return response;
}

}  // namespace videochat::aws::http
