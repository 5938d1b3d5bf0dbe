// IMDSv2 client: PUT /latest/api/token (TTL 21600 s), token cached and renewed on
// 401 or before it expires, GETs under /latest/ with the token header. Never through
// a proxy; short timeouts. Source: EC2 user guide, instance-metadata-v2-how-it-works.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "ec2api/aws_config.h"
#include "ec2api/client.h"

namespace ec2rk::ec2api {

inline constexpr std::string_view kDefaultImdsEndpoint = "http://169.254.169.254";
inline constexpr std::string_view kDefaultImdsIpv6Endpoint = "http://[fd00:ec2::254]";

struct ImdsOptions {
  std::string endpoint = std::string(kDefaultImdsEndpoint);  // scheme://host[:port], no path
  bool disabled = false;   // AWS_EC2_METADATA_DISABLED=true
  int token_ttl_seconds = 21600;
  std::chrono::milliseconds timeout{2000};  // per request, whole transfer
  int attempts = 2;        // per GET/PUT, for network errors and 5xx (401 is extra)
};

// From AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT (or the profile's
// ec2_metadata_service_endpoint), AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 (or
// ec2_metadata_service_endpoint_mode), AWS_METADATA_SERVICE_TIMEOUT (seconds) and
// AWS_METADATA_SERVICE_NUM_ATTEMPTS (or metadata_service_timeout / _num_attempts).
// kConfig for a malformed value.
// `config` may be null.
Result<ImdsOptions> imds_options(const Environment& env, const SharedConfig* config);

// The HttpOptions IMDS transports use: 1 s connect, 2 s per request.
HttpOptions imds_http_options();

class ImdsClient : public Imds {
 public:
  ImdsClient(ImdsOptions options, std::shared_ptr<HttpTransport> transport, Clock& clock,
             TraceSink trace);

  // GET /latest/<path>. Errors: kConfig when disabled; kNetwork when IMDS cannot be
  // reached or keeps failing; kService with http_status set for other statuses (404:
  // no such item); kCredentials when the token is refused (403: IMDS off or IMDSv2 only).
  Result<std::string> get(std::string_view path) override;

  bool disabled() const { return options_.disabled; }
  const std::string& endpoint() const { return options_.endpoint; }
  int token_requests() const { return token_requests_; }  // PUTs made (tests, trace)

 private:
  Result<std::string> fetch_token();
  Result<HttpResponse> send_with_retries(const HttpRequest& r);

  ImdsOptions options_;
  std::shared_ptr<HttpTransport> transport_;
  Clock& clock_;
  TraceSink trace_;
  std::string token_;
  Clock::Instant token_expires_{};
  int token_requests_ = 0;
};

}  // namespace ec2rk::ec2api
