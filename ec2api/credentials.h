// The credentials provider chain, one source per file (credentials_env.cpp,
// credentials_file.cpp, credentials_imds.cpp), chained by make_credentials_chain.
// Order as in botocore: environment > shared files (profile) > instance profile (IMDS).
// Nothing here ever puts a secret key or token in an Error or a trace line.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ec2api/aws_config.h"
#include "ec2api/client.h"

namespace ec2rk::ec2api {

// One link of the chain.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  virtual std::string name() const = 0;  // CredentialsProvider::source() once chosen
  // nullopt: not configured here, the chain tries the next source (why_not() says why).
  // An Error: configured but unusable; the chain stops (no silent fall-through).
  // `refresh` forces temporary credentials to be fetched again.
  virtual Result<std::optional<sigv4::Credentials>> load(bool refresh) = 0;
  virtual std::string why_not() const { return {}; }
};

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (both, or kCredentials; read when made), with
// AWS_SESSION_TOKEN, else the legacy AWS_SECURITY_TOKEN (a conflict is warned about
// and AWS_SESSION_TOKEN wins). Empty values count as unset.
std::unique_ptr<CredentialSource> make_env_source(const Environment& env, WarnSink warn);

// The profile's static keys: the credentials file's [NAME] section first, then the
// config file's profile section. One key without the other is kCredentials; a profile
// that only has role_arn / credential_process / sso_* settings is kCredentials too
// (ec2rk does not run those), rather than silently falling through to IMDS.
std::unique_ptr<CredentialSource> make_profile_source(std::shared_ptr<const SharedConfig> config);

// The EC2 instance profile via IMDSv2 (`imds` handles the token): role name from
// meta-data/iam/security-credentials/ (first line), then the role's JSON, which must
// have Code "Success" and AccessKeyId, SecretAccessKey, Token and Expiration. Cached;
// fetched again when less than 10 minutes remain or on refresh. If a refresh fails while
// the cached credentials are still valid, they are kept (warned about in the trace).
// Declines (nullopt) when IMDS cannot be reached or the instance has no role.
class ImdsClient;
std::unique_ptr<CredentialSource> make_imds_source(std::shared_ptr<ImdsClient> imds, Clock& clock,
                                                   TraceSink trace);

// The role document IMDS serves at meta-data/iam/security-credentials/ROLE, parsed
// (pure, for make_imds_source and the fuzzer): a JSON object with Code "Success" and
// non-empty string AccessKeyId, SecretAccessKey, Token and an ISO 8601 Expiration.
// Errors: kCredentials whose message says what was wrong ("not a JSON object",
// "missing Token", "IMDS says <Code>: <Message>"); it never quotes a key or token.
struct ImdsRoleCredentials {
  sigv4::Credentials credentials;
  int64_t expiration = 0;  // unix time
};
Result<ImdsRoleCredentials> parse_imds_credentials(std::string_view json);

// Tries the sources in order on the first get(); sticks with the first that yields
// credentials. Errors: the first source's Error, or kCredentials naming what was tried.
std::shared_ptr<CredentialsProvider> make_credentials_chain(
    std::vector<std::unique_ptr<CredentialSource>> sources, TraceSink trace);

// A fixed set of credentials (tests, and callers that already have keys).
std::shared_ptr<CredentialsProvider> make_static_credentials(sigv4::Credentials creds,
                                                             std::string source = "static");

}  // namespace ec2rk::ec2api
