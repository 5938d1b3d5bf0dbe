// The EC2 instance profile's temporary credentials through IMDSv2, as botocore's
// InstanceMetadataProvider, with the SDKs' refresh-ahead window.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "ec2api/credentials.h"
#include "ec2api/imds.h"
#include "ec2api/timefmt.h"

namespace ec2rk::ec2api {
namespace {

// Fetch again when fewer than this many seconds of validity remain.
constexpr int64_t kRefreshWindowSeconds = 10 * 60;
constexpr std::string_view kCredentialsPath = "meta-data/iam/security-credentials/";

bool valid_role_name(std::string_view role) {
  // IAM role names: alphanumerics and +=,.@_- (no '/', so no path tricks).
  return !role.empty() && role.size() <= 128 && std::all_of(role.begin(), role.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@_-").find(c) != std::string_view::npos;
  });
}

class ImdsSource : public CredentialSource {
 public:
  ImdsSource(std::shared_ptr<ImdsClient> imds, Clock& clock, TraceSink trace)
      : imds_(std::move(imds)), clock_(clock), trace_(std::move(trace)) {}

  ~ImdsSource() override {
    if (cached_) {
      sigv4::secure_wipe(cached_->secret_access_key);
      sigv4::secure_wipe(cached_->session_token);
    }
  }

  std::string name() const override { return "imds"; }
  std::string why_not() const override { return why_not_; }

  Result<std::optional<sigv4::Credentials>> load(bool refresh) override {
    if (imds_ == nullptr || imds_->disabled()) {
      why_not_ = "instance metadata is disabled (AWS_EC2_METADATA_DISABLED)";
      return std::optional<sigv4::Credentials>();
    }
    const int64_t now = clock_.unix_time();
    if (cached_ && !refresh && expiration_ - now > kRefreshWindowSeconds) return cached_;
    auto fetched = fetch();
    if (fetched.ok() && fetched.value()) return fetched;
    // Static stability: keep using credentials that have not expired yet.
    if (cached_ && expiration_ > now) {
      if (trace_) {
        std::string why = fetched.ok() ? why_not_ : fetched.error().message;
        trace_("imds: refreshing instance-profile credentials failed (" + why +
               "); the cached ones stay valid for " + std::to_string(expiration_ - now) + " s");
      }
      return cached_;
    }
    return fetched;
  }

 private:
  Result<std::optional<sigv4::Credentials>> fetch() {
    auto listing = imds_->get(kCredentialsPath);
    if (!listing) {
      const Error& e = listing.error();
      if (e.kind == ErrorKind::kNetwork || e.http_status == 404) {
        why_not_ = e.http_status == 404 ? "this instance has no IAM role (instance profile)"
                                        : e.message;
        return std::optional<sigv4::Credentials>();
      }
      return e;
    }
    std::string_view text = listing.value();
    std::string_view role = text.substr(0, text.find('\n'));
    while (!role.empty() && std::isspace(static_cast<unsigned char>(role.back()))) role.remove_suffix(1);
    while (!role.empty() && std::isspace(static_cast<unsigned char>(role.front()))) role.remove_prefix(1);
    if (role.empty()) {
      why_not_ = "this instance has no IAM role (instance profile)";
      return std::optional<sigv4::Credentials>();
    }
    if (!valid_role_name(role)) {
      return make_error(ErrorKind::kCredentials, "instance metadata returned an invalid role name");
    }
    std::string role_name(role);
    auto doc = imds_->get(std::string(kCredentialsPath) + role_name);
    if (!doc) {
      Error e = doc.error();
      e.kind = ErrorKind::kCredentials;
      e.message = "instance profile role " + role_name + ": " + e.message;
      return e;
    }
    auto fail = [&](const std::string& why) {
      return make_error(ErrorKind::kCredentials,
                        "instance metadata credentials for role " + role_name + ": " + why);
    };
    auto parsed = parse_imds_credentials(doc.value());
    sigv4::secure_wipe(doc.value());
    if (!parsed) return fail(parsed.error().message);
    sigv4::Credentials c = std::move(parsed.value().credentials);
    const int64_t expiration = parsed.value().expiration;
    if (cached_) {
      sigv4::secure_wipe(cached_->secret_access_key);
      sigv4::secure_wipe(cached_->session_token);
    }
    cached_ = std::move(c);
    expiration_ = expiration;
    if (trace_) {
      trace_("imds: instance-profile credentials for role " + role_name + " valid for " +
             std::to_string(expiration_ - clock_.unix_time()) + " s");
    }
    return cached_;
  }

  std::shared_ptr<ImdsClient> imds_;
  Clock& clock_;
  TraceSink trace_;
  std::optional<sigv4::Credentials> cached_;
  int64_t expiration_ = 0;
  std::string why_not_ = "instance metadata not tried";
};

}  // namespace

Result<ImdsRoleCredentials> parse_imds_credentials(std::string_view json) {
  auto fail = [](const std::string& why) { return make_error(ErrorKind::kCredentials, why); };
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
  auto text_field = [&](const char* k) -> std::optional<std::string> {
    auto it = j.find(k);
    if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return std::nullopt;
    }
    return it->get<std::string>();
  };
  auto code = text_field("Code");
  if (code != "Success") {
    std::string message = text_field("Message").value_or("");
    return fail("IMDS says " + code.value_or("no Code") + (message.empty() ? "" : ": " + message));
  }
  for (const char* k : {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) {
    if (!text_field(k)) return fail(std::string("missing ") + k);
  }
  auto expiration = parse_iso8601(*text_field("Expiration"));
  if (!expiration) return fail("Expiration is not an ISO 8601 time");
  ImdsRoleCredentials out;
  out.credentials.access_key_id = *text_field("AccessKeyId");
  out.credentials.secret_access_key = *text_field("SecretAccessKey");
  out.credentials.session_token = *text_field("Token");
  out.expiration = *expiration;
  // The document's copies of the secrets go with j; wipe them first.
  if (auto it = j.find("SecretAccessKey"); it != j.end()) sigv4::secure_wipe(it->get_ref<std::string&>());
  if (auto it = j.find("Token"); it != j.end()) sigv4::secure_wipe(it->get_ref<std::string&>());
  return out;
}

std::unique_ptr<CredentialSource> make_imds_source(std::shared_ptr<ImdsClient> imds, Clock& clock,
                                                   TraceSink trace) {
  return std::make_unique<ImdsSource>(std::move(imds), clock, std::move(trace));
}

}  // namespace ec2rk::ec2api
