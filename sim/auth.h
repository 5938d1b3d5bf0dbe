// SigV4 verification the way EC2 answers it, using the project's signer (sigv4/sigv4.h) for
// the expected signature: which keys exist (long-term from the scenario, temporary ones issued
// by the simulator's IMDS with a session token and an expiry) and which error each failure gets.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sigv4/sigv4.h"
#include "sim/ec2_error.h"

namespace ec2rk::sim {

// Temporary credentials as IMDS hands them out (secrets: never log them).
struct TemporaryCredentials {
  std::string access_key_id;  // ASIA + 16 characters
  std::string secret_access_key;
  std::string session_token;
  int64_t issued_at_s = 0;  // on the simulator's (skewed) clock
  int64_t expires_at_s = 0;
};

// Thread-safe key store.
class CredentialStore {
 public:
  struct Entry {
    std::string secret_access_key;
    std::string session_token;  // "" for long-term keys
    int64_t expires_at_s = 0;   // 0: never
    std::string principal_arn;  // for UnauthorizedOperation messages
  };

  void add_long_term(const std::string& access_key_id, const std::string& secret,
                     const std::string& principal_arn);
  // Makes a fresh random key/secret/token valid for ttl_s from now_s.
  TemporaryCredentials issue_temporary(const std::string& principal_arn, int64_t now_s,
                                       int64_t ttl_s);
  std::optional<Entry> find(const std::string& access_key_id) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

struct AuthResult {
  Ec2Error error;  // empty code: authenticated
  std::string principal_arn;
  std::string reason;  // why it failed, for the simulator's log (no secrets)
};

// Verifies `req` (as received: method, target, headers, body). `now_s` is the simulator's
// skewed clock. Outcomes, mirroring EC2:
//   no Authorization header, a garbled one, an unknown key, a scope that is not
//   <date>/<region>/ec2/aws4_request, X-Amz-Date missing or more than 5 minutes from now_s,
//   a temporary key without its X-Amz-Security-Token, with another token, or expired,
//   a long-term key sent with a token                    -> 401 AuthFailure
//   a signature that differs from the one computed        -> 403 SignatureDoesNotMatch
AuthResult verify_request(const sigv4::Request& req, const CredentialStore& store,
                          std::string_view region, int64_t now_s);

inline constexpr int64_t kMaxRequestSkewS = 300;
inline constexpr std::string_view kAuthFailureMessage =
    "AWS was not able to validate the provided access credentials";

}  // namespace ec2rk::sim
