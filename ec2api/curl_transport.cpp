// The libcurl transport: one multi handle for the transport's lifetime, so its
// connection cache (and, through a share handle, DNS and TLS sessions) carries
// over from one batch to the next. At most HttpOptions::max_concurrency
// transfers run at once; the rest wait for a free slot.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <optional>

#include "ec2api/http.h"

namespace ec2rk::ec2api {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// One request in flight.
struct Transfer {
  const HttpRequest* request = nullptr;
  size_t index = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse response;
  size_t max_bytes = 0;
  bool too_large = false;
  std::chrono::milliseconds timeout{0};
  char errbuf[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (headers != nullptr) curl_slist_free_all(headers);
  }
};

size_t on_body(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * nmemb;
  if (t->response.body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * nmemb;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.headers.clear();  // a new response (e.g. after a 1xx) starts over
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  t->response.headers.push_back(
      {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  return n;
}

class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(const HttpOptions& options) : options_(options) {
    global_init_once();
    if (options_.max_concurrency < 1) options_.max_concurrency = 1;
    multi_ = curl_multi_init();
    // Keep enough idle connections for a whole batch to be reused by the next one.
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_concurrency));
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~CurlTransport() override {
    curl_multi_cleanup(multi_);
    curl_share_cleanup(share_);
  }

  std::vector<Result<HttpResponse>> send_all(const std::vector<HttpRequest>& requests) override {
    std::lock_guard<std::mutex> lock(mu_);  // one multi handle: batches from other threads wait
    std::vector<Result<HttpResponse>> results(
        requests.size(), Result<HttpResponse>(make_error(ErrorKind::kNetwork, "not sent")));
    size_t next = 0;
    int active = 0;
    while (next < requests.size() || active > 0) {
      while (active < options_.max_concurrency && next < requests.size()) {
        auto t = std::make_unique<Transfer>();
        t->request = &requests[next];
        t->index = next;
        ++next;
        if (auto err = setup(*t)) {
          results[t->index] = std::move(*err);
          if (t->easy != nullptr) curl_easy_cleanup(t->easy);
          continue;
        }
        curl_multi_add_handle(multi_, t->easy);
        t.release();  // owned through CURLOPT_PRIVATE until done
        ++active;
      }
      int running = 0;
      curl_multi_perform(multi_, &running);
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Transfer* raw = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
        std::unique_ptr<Transfer> t(raw);
        results[t->index] = finish(*t, msg->data.result);
        curl_multi_remove_handle(multi_, t->easy);
        curl_easy_cleanup(t->easy);
        --active;
      }
      if (active > 0 && running > 0) curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
    return results;
  }

 private:
  // Configures t.easy; returns an Error if the handle could not be set up.
  std::optional<Error> setup(Transfer& t) {
    const HttpRequest& r = *t.request;
    t.easy = curl_easy_init();
    if (t.easy == nullptr) return make_error(ErrorKind::kNetwork, "cannot create a curl handle");
    t.max_bytes = options_.max_response_bytes;
    CURL* e = t.easy;
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_SHARE, share_);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    t.timeout = options_.read_timeout;
    if (r.timeout.count() > 0) t.timeout = std::min(t.timeout, r.timeout);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, t.timeout.count())));
    // TLS verification is never switched off, whatever the environment says.
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_bundle.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    // An empty proxy disables any proxy, including one from http_proxy/HTTPS_PROXY/ALL_PROXY,
    // so IMDS requests never gain proxy headers (IMDS rejects X-Forwarded-For).
    if (r.bypass_proxy) curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "ec2rk");
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);

    bool has_content_type = false;
    for (const HttpHeader& h : r.headers) {
      if (iequals(h.name, "content-type")) has_content_type = true;
      std::string line = h.name + ": " + h.value;
      t.headers = curl_slist_append(t.headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip, and no Content-Type curl made up.
    t.headers = curl_slist_append(t.headers, "Expect:");
    if (!has_content_type) t.headers = curl_slist_append(t.headers, "Content-Type:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);

    if (r.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (r.method == "HEAD") {
      curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
      if (r.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    return std::nullopt;
  }

  Result<HttpResponse> finish(Transfer& t, CURLcode code) {
    const std::string& url = t.request->url;
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
      curl_off_t micros = 0;
      curl_easy_getinfo(t.easy, CURLINFO_TOTAL_TIME_T, &micros);
      t.response.status = static_cast<int>(status);
      t.response.elapsed = std::chrono::milliseconds(micros / 1000);
      return std::move(t.response);
    }
    if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      return make_error(ErrorKind::kParse, "the response from " + url + " is larger than " +
                                               std::to_string(t.max_bytes) + " bytes");
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return make_error(ErrorKind::kTimeout, url + ": no complete response within " +
                                                 std::to_string(t.timeout.count()) + " ms");
    }
    std::string detail = t.errbuf[0] != '\0' ? std::string(t.errbuf) : curl_easy_strerror(code);
    return make_error(ErrorKind::kNetwork, url + ": " + detail);
  }

  HttpOptions options_;
  std::mutex mu_;
  CURLM* multi_ = nullptr;
  CURLSH* share_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpTransport> make_curl_transport(const HttpOptions& options) {
  return std::make_unique<CurlTransport>(options);
}

}  // namespace ec2rk::ec2api
