// make_session: the shared config files, settings precedence, transports, IMDS and
// the credentials chain. Nothing here sends a request unless the region must come
// from IMDS; credentials are fetched on the first call.
#include "ec2api/session.h"

#include <unistd.h>

#include <cctype>
#include <charconv>

#include "ec2api/credentials.h"
#include "ec2api/endpoint.h"
#include "ec2api/imds.h"

namespace ec2rk::ec2api {
namespace {

std::optional<std::string> env_value(const Environment& env, const char* name) {
  auto v = env.get(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

Error config_error(std::string m) { return make_error(ErrorKind::kConfig, std::move(m)); }

// A setting from the environment variable, else the profile key; `source` says which.
struct Setting {
  std::optional<std::string> value;
  std::string source;
};

Setting setting(const Environment& env, const SharedConfig& config, const char* var,
                const char* key) {
  if (auto v = env_value(env, var)) return {v, var};
  if (auto v = config.get(key)) return {v, config.config_display + " profile " + config.profile + " " + key};
  return {};
}

Result<bool> bool_setting(const Environment& env, const SharedConfig& config, const char* var,
                          const char* key) {
  Setting s = setting(env, config, var, key);
  if (!s.value) return false;
  auto b = parse_bool_setting(*s.value);
  if (!b) return config_error(s.source + " must be true or false, not '" + *s.value + "'");
  return *b;
}

// Error-returning wrapper that always answers with the same Error (a disabled or
// misconfigured IMDS handed to callers that asked for one).
class FailingImds : public Imds {
 public:
  explicit FailingImds(Error e) : error_(std::move(e)) {}
  Result<std::string> get(std::string_view) override { return error_; }

 private:
  Error error_;
};

}  // namespace

Result<SessionSettings> resolve_settings(const SessionOptions& options, const Environment& env,
                                         const SharedConfig& config,
                                         const std::function<Result<std::string>()>& imds_region) {
  SessionSettings s;

  // max_attempts
  Setting attempts = setting(env, config, "AWS_MAX_ATTEMPTS", "max_attempts");
  if (attempts.value) {
    int n = 0;
    const std::string& t = *attempts.value;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size() || n < 1 || n > 100) {
      return config_error(attempts.source + " must be a whole number from 1 to 100, not '" + t + "'");
    }
    s.max_attempts = n;
  }

  // Read timeout (ec2rk's own setting; the SDKs only offer it in code)
  if (auto t = env_value(env, "EC2RK_READ_TIMEOUT_MS")) {
    int ms = 0;
    auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), ms);
    if (ec != std::errc() || end != t->data() + t->size() || ms < 1 || ms > 600000) {
      return config_error("EC2RK_READ_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, not '" +
                          *t + "'");
    }
    s.read_timeout = std::chrono::milliseconds(ms);
  }

  // CA bundle
  Setting ca = setting(env, config, "AWS_CA_BUNDLE", "ca_bundle");
  if (ca.value) {
    std::string path = *ca.value;
    if (path.rfind("~/", 0) == 0) {
      if (auto home = env_value(env, "HOME")) path = *home + path.substr(1);
    }
    if (access(path.c_str(), R_OK) != 0) {
      return config_error(ca.source + ": cannot read the CA bundle " + *ca.value);
    }
    s.ca_bundle = path;
  }

  // Region
  if (!options.region.empty()) {
    s.region = options.region;
    s.region_source = "--region";
  } else if (auto r = env_value(env, "AWS_REGION")) {
    s.region = *r;
    s.region_source = "AWS_REGION";
  } else if (auto d = env_value(env, "AWS_DEFAULT_REGION")) {
    s.region = *d;
    s.region_source = "AWS_DEFAULT_REGION";
  } else if (auto p = config.get("region"); p && !p->empty()) {
    s.region = *p;
    s.region_source = config.config_display + " profile " + config.profile;
  } else {
    constexpr std::string_view kHow =
        "set --region, AWS_REGION, or region in the profile in ~/.aws/config";
    if (!imds_region) return config_error("no region configured: " + std::string(kHow));
    auto from_imds = imds_region();
    if (!from_imds) {
      Error e = from_imds.error();
      if (e.kind != ErrorKind::kConfig) e.kind = ErrorKind::kNetwork;
      e.message = "no region configured (" + std::string(kHow) +
                  "), and instance metadata could not tell: " + e.message;
      return e;
    }
    std::string region = from_imds.value();
    while (!region.empty() && std::isspace(static_cast<unsigned char>(region.back()))) region.pop_back();
    s.region = region;
    s.region_source = "instance metadata";
  }
  if (!is_valid_region(s.region)) {
    return config_error("invalid region '" + s.region + "' from " + s.region_source +
                        " (expected a name like us-east-1)");
  }

  // Endpoint
  Setting endpoint;
  if (!options.endpoint_url.empty()) {
    endpoint = {options.endpoint_url, "--endpoint-url"};
  } else {
    auto ignore = bool_setting(env, config, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                               "ignore_configured_endpoint_urls");
    if (!ignore) return ignore.error();
    if (!ignore.value()) {
      if (auto v = env_value(env, "AWS_ENDPOINT_URL_EC2")) {
        endpoint = {v, "AWS_ENDPOINT_URL_EC2"};
      } else if (auto g = env_value(env, "AWS_ENDPOINT_URL")) {
        endpoint = {g, "AWS_ENDPOINT_URL"};
      } else if (auto sv = config.services_endpoint_url(); sv && !sv->empty()) {
        endpoint = {sv, config.config_display + " services " + config.get("services").value_or("") +
                            " ec2 endpoint_url"};
      } else if (auto pe = config.get("endpoint_url"); pe && !pe->empty()) {
        endpoint = {pe, config.config_display + " profile " + config.profile + " endpoint_url"};
      }
    }
  }
  auto fips = bool_setting(env, config, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
  if (!fips) return fips.error();
  auto dualstack = bool_setting(env, config, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
  if (!dualstack) return dualstack.error();
  if (endpoint.value) {
    // As the SDKs' endpoint rule set: a custom endpoint cannot also ask for a variant.
    if (fips.value() || dualstack.value()) {
      return config_error(std::string(fips.value() ? "FIPS" : "dual-stack") +
                          " endpoints cannot be combined with a custom endpoint (" + endpoint.source +
                          ")");
    }
    auto url = check_endpoint_url(*endpoint.value, endpoint.source);
    if (!url) return url.error();
    s.endpoint_url = *endpoint.value;
    while (s.endpoint_url.size() > 1 && s.endpoint_url.back() == '/' &&
           url->path.find_first_not_of('/') == std::string::npos) {
      s.endpoint_url.pop_back();
    }
    s.endpoint_source = endpoint.source;
  } else {
    auto url = default_endpoint(s.region, fips.value(), dualstack.value());
    if (!url) return url.error();
    s.endpoint_url = url.value();
    s.endpoint_source = "partition default";
  }
  return s;
}

Result<Session> make_session(const SessionOptions& options, const Environment& env, TraceSink trace,
                             const SessionSeams& seams) {
  auto make_transport = seams.make_transport
                            ? seams.make_transport
                            : [](const HttpOptions& o) -> std::shared_ptr<HttpTransport> {
                                return make_curl_transport(o);
                              };
  Clock& clock = seams.clock != nullptr ? *seams.clock : system_clock();
  TraceSink warn = options.warn ? options.warn : trace;

  auto shared = load_shared_config(env, options.profile, warn);
  if (!shared) return shared.error();
  auto config = std::make_shared<const SharedConfig>(std::move(shared.value()));

  auto imds_opts = imds_options(env, config.get());
  if (!imds_opts) return imds_opts.error();
  HttpOptions imds_http = imds_http_options();
  auto imds = std::make_shared<ImdsClient>(imds_opts.value(), nullptr, clock, trace);
  std::function<Result<std::string>()> imds_region;
  std::shared_ptr<HttpTransport> imds_transport;
  auto ensure_imds = [&]() -> std::shared_ptr<ImdsClient> {
    if (!imds_transport) {
      imds_transport = make_transport(imds_http);
      imds = std::make_shared<ImdsClient>(imds_opts.value(), imds_transport, clock, trace);
    }
    return imds;
  };
  if (!imds_opts->disabled) {
    imds_region = [&]() { return ensure_imds()->get("meta-data/placement/region"); };
  }

  auto settings = resolve_settings(options, env, *config, imds_region);
  if (!settings) return settings.error();
  imds_http.ca_bundle = settings->ca_bundle;  // for an https:// IMDS override

  HttpOptions http;
  http.ca_bundle = settings->ca_bundle;
  if (settings->read_timeout.count() > 0) http.read_timeout = settings->read_timeout;

  Session session;
  session.region = settings->region;
  session.endpoint_url = settings->endpoint_url;
  session.transport = make_transport(http);
  session.imds = imds_opts->disabled ? std::static_pointer_cast<Imds>(imds) : ensure_imds();
  session.trace = trace;
  session.client_options.region = settings->region;
  session.client_options.endpoint_url = settings->endpoint_url;
  session.client_options.max_attempts = settings->max_attempts;
  session.client_options.warn = options.warn;

  std::vector<std::unique_ptr<CredentialSource>> sources;
  // As botocore: an explicit --profile means "use this profile", not the environment's keys.
  if (!config->profile_explicit) sources.push_back(make_env_source(env, warn));
  sources.push_back(make_profile_source(config));
  if (!imds_opts->disabled) sources.push_back(make_imds_source(ensure_imds(), clock, trace));
  session.credentials = make_credentials_chain(std::move(sources), trace);

  if (trace) {
    trace("session: profile " + config->profile + "; region " + settings->region + " (from " +
          settings->region_source + "); endpoint " + settings->endpoint_url + " (from " +
          settings->endpoint_source + "); max attempts " + std::to_string(settings->max_attempts) +
          (settings->read_timeout.count() > 0
               ? "; read timeout " + std::to_string(settings->read_timeout.count()) + " ms"
               : "") +
          (settings->ca_bundle.empty() ? "" : "; CA bundle " + settings->ca_bundle));
  }
  return session;
}

Result<Session> make_session(const SessionOptions& options, const Environment& env, TraceSink trace) {
  return make_session(options, env, std::move(trace), SessionSeams{});
}

std::shared_ptr<Imds> make_imds(const Environment& env, std::shared_ptr<HttpTransport> transport,
                                TraceSink trace) {
  auto opts = imds_options(env, nullptr);
  if (!opts) return std::make_shared<FailingImds>(opts.error());
  if (!transport) transport = make_curl_transport(imds_http_options());
  return std::make_shared<ImdsClient>(opts.value(), std::move(transport), system_clock(),
                                      std::move(trace));
}

std::unique_ptr<Ec2Client> Session::make_client(Clock& clock) const {
  return std::make_unique<Ec2Client>(client_options, transport, credentials, clock, trace);
}

}  // namespace ec2rk::ec2api
