// The HTTP seam: one transport interface, libcurl behind it, fakes in tests.
// Contract: send_all() sends a batch concurrently (bounded), reusing connections,
// and returns one result per request in order; a result is an Error only when no
// HTTP response arrived (kind kNetwork or kTimeout). Any HTTP status is a response.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "ec2api/result.h"

namespace ec2rk::ec2api {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", "PUT"
  std::string url;     // absolute: scheme, host[:port], path[?query]
  std::vector<HttpHeader> headers;
  std::string body;
  bool bypass_proxy = false;  // IMDS and container endpoints never use a proxy
  // Caps this request's whole transfer below HttpOptions::read_timeout (the caller's
  // remaining deadline); zero = no extra cap.
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;
  std::chrono::milliseconds elapsed{0};
  // The first header named `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
};


struct HttpOptions {
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds read_timeout{10000};  // whole transfer of one request
  std::string ca_bundle;         // AWS_CA_BUNDLE; empty = system store
  std::string ca_dir;            // a hashed CA directory (openssl rehash); empty = curl's default
  int max_concurrency = 64;      // parallel requests in one batch
  size_t max_response_bytes = 64u << 20;  // larger bodies fail with kParse
};

// Concurrent send_all() calls on one transport are serialized (the curl transport
// holds one multi handle). Error messages name the URL and the failure, nothing else
// (URLs never carry credentials).
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual std::vector<Result<HttpResponse>> send_all(const std::vector<HttpRequest>& requests) = 0;
  Result<HttpResponse> send(const HttpRequest& request);  // send_all of one
};

// libcurl (multi interface) transport. TLS verification is always on.
std::unique_ptr<HttpTransport> make_curl_transport(const HttpOptions& options);

// For tests: how a transport from make_curl_transport got its TLS contexts so far. `shared`
// SSL_CTX_new calls from libcurl were answered with the transport's one context, for which
// `built` contexts were made (tls_context_share.h). Zeros for any other transport, and where
// the build cannot share (the system's libcurl).
struct TlsContextStats {
  int shared = 0;
  int built = 0;
};
TlsContextStats curl_tls_context_stats(const HttpTransport& transport);

}  // namespace ec2rk::ec2api
