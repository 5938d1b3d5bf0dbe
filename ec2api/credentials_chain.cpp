// The chain: first source with credentials wins and is kept for the session.
#include "ec2api/credentials.h"

namespace ec2rk::ec2api {
namespace {

class ChainProvider : public CredentialsProvider {
 public:
  ChainProvider(std::vector<std::unique_ptr<CredentialSource>> sources, TraceSink trace)
      : sources_(std::move(sources)), trace_(std::move(trace)) {}

  Result<sigv4::Credentials> get(bool refresh) override {
    if (chosen_ != nullptr) {
      auto r = chosen_->load(refresh);
      if (!r) return r.error();
      if (!r.value()) {
        return make_error(ErrorKind::kCredentials, "credentials from " + chosen_->name() +
                                                       " are no longer available: " + chosen_->why_not());
      }
      return std::move(*r.value());
    }
    std::string tried;
    for (auto& s : sources_) {
      auto r = s->load(refresh);
      if (!r) return r.error();
      if (r.value()) {
        chosen_ = s.get();
        if (trace_) trace_("credentials: using " + s->name());
        return std::move(*r.value());
      }
      tried += (tried.empty() ? "" : "; ") + s->name() + ": " + s->why_not();
    }
    return make_error(ErrorKind::kCredentials,
                      "no AWS credentials found (" + tried +
                          "). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a profile "
                          "in ~/.aws/credentials, or run on an instance with an IAM role");
  }

  std::string source() const override { return chosen_ ? chosen_->name() : "none"; }

 private:
  std::vector<std::unique_ptr<CredentialSource>> sources_;
  TraceSink trace_;
  CredentialSource* chosen_ = nullptr;
};

class StaticProvider : public CredentialsProvider {
 public:
  StaticProvider(sigv4::Credentials c, std::string source) : creds_(std::move(c)), source_(std::move(source)) {}
  ~StaticProvider() override {
    sigv4::secure_wipe(creds_.secret_access_key);
    sigv4::secure_wipe(creds_.session_token);
  }
  Result<sigv4::Credentials> get(bool) override { return creds_; }
  std::string source() const override { return source_; }

 private:
  sigv4::Credentials creds_;
  std::string source_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> make_credentials_chain(
    std::vector<std::unique_ptr<CredentialSource>> sources, TraceSink trace) {
  return std::make_shared<ChainProvider>(std::move(sources), std::move(trace));
}

std::shared_ptr<CredentialsProvider> make_static_credentials(sigv4::Credentials creds,
                                                             std::string source) {
  return std::make_shared<StaticProvider>(std::move(creds), std::move(source));
}

}  // namespace ec2rk::ec2api
