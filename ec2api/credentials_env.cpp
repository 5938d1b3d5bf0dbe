// Credentials from the environment, as botocore's EnvProvider.
#include "ec2api/credentials.h"

namespace ec2rk::ec2api {
namespace {

class EnvSource : public CredentialSource {
 public:
  // Copies the variables now: the session outlives the Environment it was made from.
  EnvSource(const Environment& env, WarnSink warn)
      : id_(env.get_or("AWS_ACCESS_KEY_ID", "")),
        secret_(env.get_or("AWS_SECRET_ACCESS_KEY", "")),
        session_(env.get_or("AWS_SESSION_TOKEN", "")),
        legacy_(env.get_or("AWS_SECURITY_TOKEN", "")),
        warn_(std::move(warn)) {}
  ~EnvSource() override {
    sigv4::secure_wipe(secret_);
    sigv4::secure_wipe(session_);
    sigv4::secure_wipe(legacy_);
  }

  std::string name() const override { return "environment"; }
  std::string why_not() const override { return "AWS_ACCESS_KEY_ID is not set"; }

  Result<std::optional<sigv4::Credentials>> load(bool) override {
    const std::string& id = id_;
    const std::string& secret = secret_;
    if (id.empty() && secret.empty()) return std::optional<sigv4::Credentials>();
    if (id.empty() || secret.empty()) {
      return make_error(ErrorKind::kCredentials,
                        std::string(id.empty() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                            " is set but " +
                            (id.empty() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                            " is not; set both (or neither)");
    }
    sigv4::Credentials c;
    c.access_key_id = id;
    c.secret_access_key = secret;
    const std::string& session = session_;
    const std::string& legacy = legacy_;
    if (!session.empty() && !legacy.empty() && session != legacy && warn_) {
      warn_("AWS_SESSION_TOKEN and AWS_SECURITY_TOKEN differ; using AWS_SESSION_TOKEN");
    }
    c.session_token = !session.empty() ? session : legacy;
    return std::optional<sigv4::Credentials>(std::move(c));
  }

 private:
  std::string id_, secret_, session_, legacy_;
  WarnSink warn_;
};

}  // namespace

std::unique_ptr<CredentialSource> make_env_source(const Environment& env, WarnSink warn) {
  return std::make_unique<EnvSource>(env, std::move(warn));
}

}  // namespace ec2rk::ec2api
