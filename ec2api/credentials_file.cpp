// Static keys from the shared credentials and config files, as botocore's
// SharedCredentialProvider and ConfigProvider (in that order).
#include "ec2api/credentials.h"

#include <array>

namespace ec2rk::ec2api {
namespace {

class ProfileSource : public CredentialSource {
 public:
  explicit ProfileSource(std::shared_ptr<const SharedConfig> config) : config_(std::move(config)) {}

  std::string name() const override { return source_; }
  std::string why_not() const override {
    return "profile '" + config_->profile + "' has no aws_access_key_id";
  }

  Result<std::optional<sigv4::Credentials>> load(bool) override {
    struct Candidate {
      const IniSection* section;
      const std::string* display;
      std::string label;
    };
    const std::array<Candidate, 2> candidates = {{
        {config_->credentials_section(), &config_->credentials_display, "[" + config_->profile + "]"},
        {config_->config_section(), &config_->config_display,
         config_->profile == "default" ? "[default]" : "[profile " + config_->profile + "]"},
    }};
    for (const Candidate& c : candidates) {
      if (c.section == nullptr) continue;
      auto id = c.section->get("aws_access_key_id");
      auto secret = c.section->get("aws_secret_access_key");
      if (!id && !secret) continue;
      std::string where = *c.display + " " + c.label;
      if (!id || id->empty() || !secret || secret->empty()) {
        return make_error(ErrorKind::kCredentials,
                          where + ": aws_access_key_id and aws_secret_access_key must both be set");
      }
      sigv4::Credentials creds;
      creds.access_key_id = *id;
      creds.secret_access_key = *secret;
      auto token = c.section->get("aws_session_token");
      if (!token) token = c.section->get("aws_security_token");
      if (token) creds.session_token = *token;
      source_ = c.section == config_->credentials_section() ? "shared-credentials-file" : "config-file";
      return std::optional<sigv4::Credentials>(std::move(creds));
    }
    // Settings ec2rk does not act on: refuse loudly rather than fall through to IMDS
    // and act as a different principal than the operator configured.
    static constexpr std::array<std::string_view, 6> kUnsupported = {
        "role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file",
        "login_session"};
    for (std::string_view key : kUnsupported) {
      if (config_->get(key)) {
        return make_error(ErrorKind::kCredentials,
                          "profile '" + config_->profile + "' uses " + std::string(key) +
                              ", which ec2rk does not support; give it static keys, use "
                              "environment variables, or run on an instance with a role");
      }
    }
    return std::optional<sigv4::Credentials>();
  }

 private:
  std::shared_ptr<const SharedConfig> config_;
  std::string source_ = "shared-credentials-file";
};

}  // namespace

std::unique_ptr<CredentialSource> make_profile_source(std::shared_ptr<const SharedConfig> config) {
  return std::make_unique<ProfileSource>(std::move(config));
}

}  // namespace ec2rk::ec2api
