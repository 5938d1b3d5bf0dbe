// Session resolution in testable pieces: the settings (region, endpoint, attempts,
// CA bundle) from flags > environment > profile > IMDS, and make_session with
// injectable transports and clock. client.h's make_session uses the real ones.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "ec2api/aws_config.h"
#include "ec2api/client.h"

namespace ec2rk::ec2api {

struct SessionSettings {
  std::string region;
  std::string region_source;  // "--region", "AWS_REGION", "profile default", "instance metadata", ...
  std::string endpoint_url;
  std::string endpoint_source;  // "--endpoint-url", "AWS_ENDPOINT_URL_EC2", ..., "partition default"
  int max_attempts = 3;
  std::string ca_bundle;
  // EC2RK_READ_TIMEOUT_MS (1-600000): caps each EC2 request's whole transfer; 0 = the
  // transport's default (HttpOptions::read_timeout). ec2rk's own knob: the SDKs have none.
  std::chrono::milliseconds read_timeout{0};
};

// Region: --region > AWS_REGION > AWS_DEFAULT_REGION > profile region > imds_region()
// (called only when all else is missing; may be empty = no IMDS). Endpoint:
// --endpoint-url > AWS_ENDPOINT_URL_EC2 > AWS_ENDPOINT_URL > profile services ec2
// endpoint_url > profile endpoint_url > partition default with AWS_USE_FIPS_ENDPOINT /
// use_fips_endpoint and AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint;
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls drop all but the
// flag. max_attempts: AWS_MAX_ATTEMPTS > profile max_attempts > 3. CA bundle:
// AWS_CA_BUNDLE > profile ca_bundle. Read timeout: EC2RK_READ_TIMEOUT_MS. Errors: kConfig (invalid values, http:// to a
// non-loopback host, FIPS/dual-stack with a custom endpoint, no region), kNetwork (the
// region had to come from IMDS and IMDS failed).
Result<SessionSettings> resolve_settings(const SessionOptions& options, const Environment& env,
                                         const SharedConfig& config,
                                         const std::function<Result<std::string>()>& imds_region);

struct SessionSeams {
  // Builds a transport; default: make_curl_transport.
  std::function<std::shared_ptr<HttpTransport>(const HttpOptions&)> make_transport;
  Clock* clock = nullptr;  // default: system_clock()
};

Result<Session> make_session(const SessionOptions& options, const Environment& env, TraceSink trace,
                             const SessionSeams& seams);

}  // namespace ec2rk::ec2api
