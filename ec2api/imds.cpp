#include "ec2api/imds.h"

#include <cstdlib>

#include "ec2api/endpoint.h"

namespace ec2rk::ec2api {
namespace {

// Renew a token this long before IMDS would reject it.
constexpr std::chrono::seconds kTokenMargin{60};

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

HttpOptions imds_http_options() {
  HttpOptions o;
  o.connect_timeout = std::chrono::milliseconds(1000);
  o.read_timeout = std::chrono::milliseconds(2000);
  o.max_concurrency = 4;
  o.max_response_bytes = 1u << 20;
  return o;
}

Result<ImdsOptions> imds_options(const Environment& env, const SharedConfig* config) {
  ImdsOptions o;
  auto setting = [&](const char* var, const char* key) -> std::optional<std::string> {
    if (auto v = env.get(var); v && !v->empty()) return v;
    if (config != nullptr) return config->get(key);
    return std::nullopt;
  };
  if (auto d = env.get("AWS_EC2_METADATA_DISABLED")) o.disabled = parse_bool_setting(*d).value_or(false);
  auto endpoint = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint");
  auto mode = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode");
  if (mode && *mode != "IPv4" && *mode != "IPv6") {
    return make_error(ErrorKind::kConfig,
                      "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6, not '" + *mode + "'");
  }
  // botocore's knobs: seconds per request (default 1; we use 2 s unless told) and attempts.
  if (auto t = setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")) {
    char* end = nullptr;
    double seconds = std::strtod(t->c_str(), &end);
    if (end == t->c_str() || *end != '\0' || !(seconds > 0) || seconds > 60) {
      return make_error(ErrorKind::kConfig,
                        "AWS_METADATA_SERVICE_TIMEOUT must be a number of seconds (0-60], not '" + *t + "'");
    }
    o.timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  }
  if (auto n = setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts")) {
    if (n->empty() || n->size() > 2 || n->find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(*n) < 1) {
      return make_error(ErrorKind::kConfig,
                        "AWS_METADATA_SERVICE_NUM_ATTEMPTS must be a whole number from 1 to 99, not '" + *n + "'");
    }
    o.attempts = std::stoi(*n);
  }
  if (endpoint) {
    // Any host: IMDS overrides point at link-local or test addresses, not at EC2.
    auto url = parse_url(*endpoint);
    if (!url) {
      Error e = url.error();
      e.message = "AWS_EC2_METADATA_SERVICE_ENDPOINT: " + e.message;
      return e;
    }
    o.endpoint = url->origin();
  } else if (mode && *mode == "IPv6") {
    o.endpoint = std::string(kDefaultImdsIpv6Endpoint);
  }
  return o;
}

ImdsClient::ImdsClient(ImdsOptions options, std::shared_ptr<HttpTransport> transport, Clock& clock,
                       TraceSink trace)
    : options_(std::move(options)), transport_(std::move(transport)), clock_(clock), trace_(std::move(trace)) {}

Result<HttpResponse> ImdsClient::send_with_retries(const HttpRequest& r) {
  Result<HttpResponse> last = make_error(ErrorKind::kNetwork, "not sent");
  for (int attempt = 1; attempt <= std::max(1, options_.attempts); ++attempt) {
    last = transport_->send(r);
    if (last.ok()) {
      if (trace_) {
        trace_("imds: " + r.method + " " + r.url + " -> " + std::to_string(last->status) + " in " +
               ms_text(last->elapsed));
      }
      if (last->status < 500) return last;
    } else if (trace_) {
      trace_("imds: " + r.method + " " + r.url + " -> no response: " + last.error().message);
    }
    // IMDS throttles and can be briefly unavailable; a short pause before the next try.
    if (attempt < options_.attempts) clock_.sleep_for(std::chrono::milliseconds(100 * attempt));
  }
  if (last.ok()) {
    Error e = make_error(ErrorKind::kNetwork, "instance metadata service at " + options_.endpoint +
                                                  " answered HTTP " + std::to_string(last->status));
    e.http_status = last->status;
    return e;
  }
  Error e = last.error();
  e.kind = ErrorKind::kNetwork;
  e.message = "instance metadata service unreachable: " + e.message;
  return e;
}

Result<std::string> ImdsClient::fetch_token() {
  HttpRequest r;
  r.method = "PUT";
  r.url = options_.endpoint + "/latest/api/token";
  r.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl_seconds)}};
  r.bypass_proxy = true;
  r.timeout = options_.timeout;
  ++token_requests_;
  auto resp = send_with_retries(r);
  if (!resp) return resp.error();
  if (resp->status != 200 || resp->body.empty()) {
    Error e = make_error(resp->status == 403 || resp->status == 400 ? ErrorKind::kCredentials
                                                                    : ErrorKind::kNetwork,
                         "instance metadata service at " + options_.endpoint +
                             " refused an IMDSv2 token (HTTP " + std::to_string(resp->status) + ")");
    e.http_status = resp->status;
    return e;
  }
  token_expires_ = clock_.now() + std::chrono::seconds(options_.token_ttl_seconds) - kTokenMargin;
  return std::move(resp->body);
}

Result<std::string> ImdsClient::get(std::string_view path) {
  if (options_.disabled) {
    return make_error(ErrorKind::kConfig, "the instance metadata service is disabled "
                                          "(AWS_EC2_METADATA_DISABLED=true)");
  }
  // At most one renewal per GET: a 401 means the cached token expired or was revoked.
  for (int round = 0; round < 2; ++round) {
    if (token_.empty() || clock_.now() >= token_expires_) {
      auto t = fetch_token();
      if (!t) return t.error();
      sigv4::secure_wipe(token_);
      token_ = std::move(t.value());
    }
    HttpRequest r;
    r.method = "GET";
    r.url = options_.endpoint + "/latest/" + std::string(path);
    r.headers = {{"X-aws-ec2-metadata-token", token_}};
    r.bypass_proxy = true;
    r.timeout = options_.timeout;
    auto resp = send_with_retries(r);
    if (!resp) return resp.error();
    if (resp->status == 200) return std::move(resp->body);
    if (resp->status == 401 && round == 0) {
      if (trace_) trace_("imds: token rejected (401); requesting a new one");
      sigv4::secure_wipe(token_);
      continue;
    }
    Error e = make_error(ErrorKind::kService, "instance metadata " + std::string(path) + ": HTTP " +
                                                  std::to_string(resp->status) +
                                                  (resp->status == 404 ? " (not found)" : ""));
    e.http_status = resp->status;
    return e;
  }
  return make_error(ErrorKind::kCredentials, "instance metadata service keeps rejecting fresh tokens");
}

}  // namespace ec2rk::ec2api
