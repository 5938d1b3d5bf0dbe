// The libcurl transport: one multi handle for the transport's lifetime, so its
// connection cache (and, through a share handle, DNS and TLS sessions) carries
// over from one batch to the next. At most HttpOptions::max_concurrency
// transfers run at once; the rest wait for a free slot.
#define CURL_DISABLE_TYPECHECK  // calls go through the function pointers of CurlApi
#include <curl/curl.h>
#include <dirent.h>
#include <dlfcn.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

#include "ec2api/http.h"
#include "ec2api/tls_context_share.h"

namespace ec2rk::ec2api {
namespace {

// The libcurl functions this file uses (CurlApi::f is curl_f).
#define EC2RK_CURL_FUNCTIONS(X)                                                              \
  X(global_init) X(version_info) X(easy_init) X(easy_setopt) X(easy_getinfo) X(easy_cleanup) \
  X(easy_strerror) X(multi_init) X(multi_setopt) X(multi_add_handle) X(multi_remove_handle)  \
  X(multi_perform) X(multi_poll) X(multi_info_read) X(multi_cleanup) X(share_init)           \
  X(share_setopt) X(share_cleanup) X(slist_append) X(slist_free_all)

// The OpenSSL functions the SSL_CTX callback uses (CurlApi::ssl.f is f), from libcurl's own
// libssl: the binary's when linked, found through libcurl's dependencies when dlopen'ed.
#define EC2RK_SSL_FUNCTIONS(X)                                                         \
  X(SSL_CTX_set1_cert_store) X(SSL_CTX_set_quiet_shutdown) X(SSL_CTX_set_info_callback) \
  X(SSL_in_before) X(SSL_get_session) X(SSL_set_session) X(SSL_SESSION_is_resumable)    \
  X(SSL_SESSION_dup) X(SSL_SESSION_free)

// libcurl's entry points, initialised (curl_global_init) once per process: linked in (the
// bundled static libcurl, cmake/Tls.cmake) or from Debian's libcurl.so.4, loaded with dlopen on
// first use because it pulls in ~25 shared libraries (GnuTLS, Kerberos, LDAP, SSH, ...), ~4 ms
// and ~4 MB that `ec2rk --version`, --help and every command stopping before the network
// would pay.
struct CurlApi {
  std::string error;  // why libcurl could not be loaded; empty when it was
#define EC2RK_CURL_FIELD(f) decltype(&::curl_##f) f = nullptr;
  EC2RK_CURL_FUNCTIONS(EC2RK_CURL_FIELD)
#undef EC2RK_CURL_FIELD
  struct {
#define EC2RK_SSL_FIELD(f) decltype(&::f) f = nullptr;
    EC2RK_SSL_FUNCTIONS(EC2RK_SSL_FIELD)
#undef EC2RK_SSL_FIELD
  } ssl;
  bool has_ssl = false;  // every one of `ssl` is there
};

#ifdef EC2RK_CURL_LINKED
CurlApi load_curl() {
  CurlApi a;
#define EC2RK_CURL_LINK(f) a.f = &::curl_##f;
  EC2RK_CURL_FUNCTIONS(EC2RK_CURL_LINK)
#undef EC2RK_CURL_LINK
#define EC2RK_SSL_LINK(f) a.ssl.f = &::f;
  EC2RK_SSL_FUNCTIONS(EC2RK_SSL_LINK)
#undef EC2RK_SSL_LINK
  a.has_ssl = true;
  if (a.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) a.error = "cannot start libcurl: curl_global_init failed";
  return a;
}
#else
CurlApi load_curl() {
  CurlApi a;
  void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    a.error = "cannot load libcurl: " + std::string(why != nullptr ? why : "libcurl.so.4 not found");
    return a;
  }
  std::string missing;
  auto load = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
    if (fn == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(name);
  };
#define EC2RK_CURL_LOAD(f) load(a.f, "curl_" #f);
  EC2RK_CURL_FUNCTIONS(EC2RK_CURL_LOAD)
#undef EC2RK_CURL_LOAD
  if (!missing.empty()) {
    a.error = "cannot load libcurl: libcurl.so.4 lacks " + missing + " (libcurl 7.66 or later is needed)";
    return a;
  }
  missing.clear();
#define EC2RK_SSL_LOAD(f) load(a.ssl.f, #f);
  EC2RK_SSL_FUNCTIONS(EC2RK_SSL_LOAD)
#undef EC2RK_SSL_LOAD
  a.has_ssl = missing.empty();  // without them: curl's own trust store and session handling
  if (a.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) a.error = "cannot load libcurl: curl_global_init failed";
  return a;  // the library stays loaded for the life of the process
}
#endif

const CurlApi& curl_api() {
  static const CurlApi api = load_curl();
  return api;
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
    if (headers != nullptr) curl_api().slist_free_all(headers);
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

// Does `dir` hold OpenSSL's subject-hash links ("5ad8a5d6.0"), so that certificates can be
// looked up in it one by one?
bool has_hashed_certificates(const std::string& dir) {
  DIR* d = dir.empty() ? nullptr : opendir(dir.c_str());
  if (d == nullptr) return false;
  bool found = false;
  while (const dirent* entry = readdir(d)) {
    std::string_view name(entry->d_name);
    found = name.size() >= 10 && name[8] == '.' &&
            std::all_of(name.begin(), name.begin() + 8, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }) &&
            std::all_of(name.begin() + 9, name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (found) break;
  }
  closedir(d);
  return found;
}

// Is libcurl's TLS backend the OpenSSL major version we link (so an SSL_CTX it hands
// to CURLOPT_SSL_CTX_FUNCTION is one of ours)?
bool curl_tls_is_our_openssl(const CurlApi& api) {
  if (!api.has_ssl) return false;
  const curl_version_info_data* v = api.version_info(CURLVERSION_NOW);
  if (v == nullptr || v->ssl_version == nullptr) return false;
  const std::string expected = "OpenSSL/" + std::to_string(OPENSSL_VERSION_MAJOR) + ".";
  return std::string_view(v->ssl_version).substr(0, expected.size()) == expected;
}

// An SSL info callback: at the start of a handshake that resumes a session, swap the
// session for a private copy. curl's session cache hands every new connection the same
// SSL_SESSION object (SSL_set_session takes a reference, not a copy), and OpenSSL 3's TLS 1.3
// client marks the session it resumed not resumable when that handshake finishes
// (tls_finish_handshake -> SSL_CTX_remove_session, "use tickets once"). Every connection
// that starts before the next ticket replaces the cached one then does a full handshake:
// 45 parallel connections resumed 12-45 times, now 45 (BENCHMARKS.md). The copy carries
// the same peer certificate and verification result; curl still chooses which session.
void resume_from_private_copy(const SSL* tls, int where, int) {
  if ((where & SSL_CB_HANDSHAKE_START) == 0) return;
  const auto& ssl = curl_api().ssl;
  SSL* s = const_cast<SSL*>(tls);
  if (ssl.SSL_in_before(s) == 0) return;  // a renegotiation, not the first handshake
  SSL_SESSION* shared = ssl.SSL_get_session(s);
  if (shared == nullptr || ssl.SSL_SESSION_is_resumable(shared) == 0) return;
  SSL_SESSION* copy = ssl.SSL_SESSION_dup(shared);
  if (copy == nullptr) return;  // resume from the shared one
  ssl.SSL_set_session(s, copy);
  ssl.SSL_SESSION_free(copy);
}

CURLcode use_shared_trust(CURL*, void* ctx, void* store) {
  const auto& ssl = curl_api().ssl;
  auto* ssl_ctx = static_cast<SSL_CTX*>(ctx);
  ssl.SSL_CTX_set1_cert_store(ssl_ctx, static_cast<X509_STORE*>(store));
  // Closing a connection sends no close_notify: with every response framed by its length
  // there is nothing to truncate, and at exit the alerts cost one write each, serially
  // (~4 ms for the 49 connections of a 48-table switchover).
  ssl.SSL_CTX_set_quiet_shutdown(ssl_ctx, 1);
  ssl.SSL_CTX_set_info_callback(ssl_ctx, resume_from_private_copy);
  return CURLE_OK;
}

class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(const HttpOptions& options) : options_(options), api_(curl_api()) {
    if (options_.max_concurrency < 1) options_.max_concurrency = 1;
    if (!api_.error.empty()) return;  // every send_all reports api_.error
    multi_ = api_.multi_init();
    // Keep enough idle connections for a whole batch to be reused by the next one.
    api_.multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_concurrency));
    share_ = api_.share_init();
    api_.share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    api_.share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~CurlTransport() override {
    if (multi_ != nullptr) api_.multi_cleanup(multi_);
    if (share_ != nullptr) api_.share_cleanup(share_);
    if (trust_ != nullptr) X509_STORE_free(trust_);
  }

  const TlsContextShare& tls_share() const { return tls_share_; }

  std::vector<Result<HttpResponse>> send_all(const std::vector<HttpRequest>& requests) override {
    std::lock_guard<std::mutex> lock(mu_);  // one multi handle: batches from other threads wait
    TlsContextShare::Scope one_tls_context(tls_share_);  // libcurl's SSL_CTX_new calls, on this thread
    if (!api_.error.empty()) {
      return std::vector<Result<HttpResponse>>(requests.size(),
                                               Result<HttpResponse>(make_error(ErrorKind::kNetwork, api_.error)));
    }
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
          if (t->easy != nullptr) api_.easy_cleanup(t->easy);
          continue;
        }
        api_.multi_add_handle(multi_, t->easy);
        t.release();  // owned through CURLOPT_PRIVATE until done
        ++active;
      }
      int running = 0;
      api_.multi_perform(multi_, &running);
      int queued = 0;
      while (CURLMsg* msg = api_.multi_info_read(multi_, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Transfer* raw = nullptr;
        api_.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
        std::unique_ptr<Transfer> t(raw);
        results[t->index] = finish(*t, msg->data.result);
        api_.multi_remove_handle(multi_, t->easy);
        api_.easy_cleanup(t->easy);
        --active;
      }
      if (active > 0 && running > 0) api_.multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
    return results;
  }

 private:
  // Configures t.easy; returns an Error if the handle could not be set up.
  std::optional<Error> setup(Transfer& t) {
    const HttpRequest& r = *t.request;
    t.easy = api_.easy_init();
    if (t.easy == nullptr) return make_error(ErrorKind::kNetwork, "cannot create a curl handle");
    t.max_bytes = options_.max_response_bytes;
    CURL* e = t.easy;
    api_.easy_setopt(e, CURLOPT_PRIVATE, &t);
    api_.easy_setopt(e, CURLOPT_URL, r.url.c_str());
    api_.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    api_.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    api_.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    api_.easy_setopt(e, CURLOPT_SHARE, share_);
    api_.easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
    api_.easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    api_.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    t.timeout = options_.read_timeout;
    if (r.timeout.count() > 0) t.timeout = std::min(t.timeout, r.timeout);
    api_.easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, t.timeout.count())));
    // TLS verification is never switched off, whatever the environment says.
    api_.easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    api_.easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (X509_STORE* trust = r.url.rfind("https:", 0) == 0 ? shared_trust() : nullptr;
        trust != nullptr && api_.easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, use_shared_trust) == CURLE_OK) {
      api_.easy_setopt(e, CURLOPT_SSL_CTX_DATA, trust);
      api_.easy_setopt(e, CURLOPT_CAINFO, nullptr);  // already in `trust`: curl must not re-read them
      api_.easy_setopt(e, CURLOPT_CAPATH, nullptr);
      // The callback also gives an https:// proxy's connection `trust`, and curl adds its
      // proxy CA defaults to the store it finds there: without these, the system bundle would
      // end up in `trust` (beside AWS_CA_BUNDLE) at the first connection through such a proxy.
      api_.easy_setopt(e, CURLOPT_PROXY_CAINFO, nullptr);
      api_.easy_setopt(e, CURLOPT_PROXY_CAPATH, nullptr);
    } else {
      if (!options_.ca_bundle.empty()) api_.easy_setopt(e, CURLOPT_CAINFO, options_.ca_bundle.c_str());
      if (!options_.ca_dir.empty()) api_.easy_setopt(e, CURLOPT_CAPATH, options_.ca_dir.c_str());
    }
    // An empty proxy disables any proxy, including one from http_proxy/HTTPS_PROXY/ALL_PROXY,
    // so IMDS requests never gain proxy headers (IMDS rejects X-Forwarded-For).
    if (r.bypass_proxy) api_.easy_setopt(e, CURLOPT_PROXY, "");
    api_.easy_setopt(e, CURLOPT_USERAGENT, "ec2rk");
    api_.easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    api_.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    api_.easy_setopt(e, CURLOPT_WRITEDATA, &t);
    api_.easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    api_.easy_setopt(e, CURLOPT_HEADERDATA, &t);

    bool has_content_type = false;
    for (const HttpHeader& h : r.headers) {
      if (iequals(h.name, "content-type")) has_content_type = true;
      std::string line = h.name + ": " + h.value;
      t.headers = api_.slist_append(t.headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip, and no Content-Type curl made up.
    t.headers = api_.slist_append(t.headers, "Expect:");
    if (!has_content_type) t.headers = api_.slist_append(t.headers, "Content-Type:");
    api_.easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);

    if (r.method == "GET") {
      api_.easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (r.method == "HEAD") {
      api_.easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
      api_.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      api_.easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
      // The smallest upload buffer curl allows (16 KB, default 64 KB): a query body is a
      // few hundred bytes, and every connection of a batch holds one.
      api_.easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, 16L * 1024);
      if (r.method != "POST") api_.easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    return std::nullopt;
  }

  // The trust anchors curl would load for each new TLS connection (the CA file: AWS_CA_BUNDLE
  // or curl's default bundle, plus the CA directory), parsed once per transport.
  // curl 7.88 re-reads the file per connection: ~0.2 ms for one certificate, ~20 ms for the
  // system bundle, times every connection of a parallel round. nullptr (curl loads them
  // itself, with its own error messages) when the backend is not our OpenSSL or loading fails.
  //
  // Without AWS_CA_BUNDLE, and when the CA directory is hashed, the directory alone: Debian's
  // update-ca-certificates writes the same certificates to both, and a hashed directory is
  // read per lookup (the one or two CAs a chain needs) instead of parsing all ~150 of the
  // bundle up front, ~17 ms of CPU at every start against real EC2 (BENCHMARKS.md).
  X509_STORE* shared_trust() {
    if (trust_tried_) return trust_;
    trust_tried_ = true;
    if (!curl_tls_is_our_openssl(api_)) return nullptr;
    std::string file = options_.ca_bundle;
    std::string dir = options_.ca_dir;
#if LIBCURL_VERSION_NUM >= 0x075400  // CURLINFO_CAINFO/CAPATH: curl's built-in defaults (7.84)
    if (CURL* probe = api_.easy_init()) {
      char* value = nullptr;
      if (file.empty() && api_.easy_getinfo(probe, CURLINFO_CAINFO, &value) == CURLE_OK && value != nullptr)
        file = value;
      value = nullptr;
      if (dir.empty() && api_.easy_getinfo(probe, CURLINFO_CAPATH, &value) == CURLE_OK && value != nullptr)
        dir = value;
      api_.easy_cleanup(probe);
    }
#else
    if (file.empty()) return nullptr;  // curl's defaults are unknown: let curl load them
#endif
    if (options_.ca_bundle.empty() && has_hashed_certificates(dir)) file.clear();
    if (file.empty() && dir.empty()) return nullptr;
    X509_STORE* store = X509_STORE_new();
    bool ok = store != nullptr;
    if (ok && !file.empty()) ok = X509_STORE_load_file(store, file.c_str()) == 1;
    if (ok && !dir.empty()) ok = X509_STORE_load_path(store, dir.c_str()) == 1;
    if (!ok) {
      if (store != nullptr) X509_STORE_free(store);
      return nullptr;
    }
    // What curl sets on the stores it builds itself.
    X509_STORE_set_flags(store, X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
    trust_ = store;
    return trust_;
  }

  Result<HttpResponse> finish(Transfer& t, CURLcode code) {
    const std::string& url = t.request->url;
    if (code == CURLE_OK) {
      long status = 0;
      api_.easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
      curl_off_t micros = 0;
      api_.easy_getinfo(t.easy, CURLINFO_TOTAL_TIME_T, &micros);
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
    std::string detail = t.errbuf[0] != '\0' ? std::string(t.errbuf) : api_.easy_strerror(code);
    // An untrusted certificate stays untrusted on the next try: fail at once, and say so.
    if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
        code == CURLE_SSL_ISSUER_ERROR) {
      return make_error(ErrorKind::kTls, url + ": the server's TLS certificate is not trusted (" + detail +
                                             "); AWS_CA_BUNDLE names the CAs to trust");
    }
    return make_error(ErrorKind::kNetwork, url + ": " + detail);
  }

  HttpOptions options_;
  const CurlApi& api_;
  std::mutex mu_;
  CURLM* multi_ = nullptr;
  CURLSH* share_ = nullptr;
  X509_STORE* trust_ = nullptr;  // see shared_trust()
  bool trust_tried_ = false;
  TlsContextShare tls_share_;  // its context lives on while a connection holds a reference
};

}  // namespace

std::unique_ptr<HttpTransport> make_curl_transport(const HttpOptions& options) {
  return std::make_unique<CurlTransport>(options);
}

TlsContextStats curl_tls_context_stats(const HttpTransport& transport) {
  const auto* curl = dynamic_cast<const CurlTransport*>(&transport);
  if (curl == nullptr) return {};
  return {curl->tls_share().contexts_handed_out(), curl->tls_share().contexts_built()};
}

}  // namespace ec2rk::ec2api
