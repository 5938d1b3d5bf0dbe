#include "sim/auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

namespace ec2rk::sim {
namespace {

const std::string* header(const sigv4::Request& req, std::string_view name) {
  for (const auto& h : req.headers) {
    if (h.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(h.name[i])) !=
          std::tolower(static_cast<unsigned char>(name[i]))) {
        same = false;
        break;
      }
    }
    if (same) return &h.value;
  }
  return nullptr;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_text(size_t n, std::string_view alphabet) {
  std::string out(n, '\0');
  unsigned char bytes[256];
  size_t pos = 0;
  while (pos < n) {
    size_t chunk = std::min(n - pos, sizeof bytes);
    RAND_bytes(bytes, static_cast<int>(chunk));
    for (size_t i = 0; i < chunk; ++i) out[pos + i] = alphabet[bytes[i] % alphabet.size()];
    pos += chunk;
  }
  return out;
}

AuthResult auth_failure(std::string reason) {
  AuthResult r;
  r.error = ec2_error("AuthFailure", std::string(kAuthFailureMessage));
  r.reason = std::move(reason);
  return r;
}

}  // namespace

void CredentialStore::add_long_term(const std::string& access_key_id, const std::string& secret,
                                    const std::string& principal_arn) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_[access_key_id] = Entry{secret, "", 0, principal_arn};
}

TemporaryCredentials CredentialStore::issue_temporary(const std::string& principal_arn,
                                                      int64_t now_s, int64_t ttl_s) {
  constexpr std::string_view kKeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  constexpr std::string_view kSecretAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  TemporaryCredentials c;
  c.access_key_id = "ASIA" + random_text(16, kKeyAlphabet);
  c.secret_access_key = random_text(40, kSecretAlphabet);
  c.session_token = "IQoJb3JpZ2luX2VjE" + random_text(300, kSecretAlphabet);
  c.issued_at_s = now_s;
  c.expires_at_s = now_s + ttl_s;
  std::lock_guard<std::mutex> lock(mu_);
  entries_[c.access_key_id] =
      Entry{c.secret_access_key, c.session_token, c.expires_at_s, principal_arn};
  return c;
}

std::optional<CredentialStore::Entry> CredentialStore::find(
    const std::string& access_key_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(access_key_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

AuthResult verify_request(const sigv4::Request& req, const CredentialStore& store,
                          std::string_view region, int64_t now_s) {
  const std::string* authorization = header(req, "Authorization");
  if (!authorization)
    return auth_failure("no Authorization header (query-string signing is not supported)");
  auto parsed = sigv4::parse_authorization(*authorization);
  if (!parsed) return auth_failure("malformed Authorization header");
  auto entry = store.find(parsed->access_key_id);
  if (!entry) return auth_failure("unknown access key " + parsed->access_key_id);
  if (parsed->service != "ec2")
    return auth_failure("credential scope service is '" + parsed->service + "', not 'ec2'");
  if (parsed->region != region) {
    return auth_failure("credential scope region is '" + parsed->region + "', not '" +
                        std::string(region) + "'");
  }
  const std::string* amz_date = header(req, "X-Amz-Date");
  if (!amz_date) return auth_failure("no X-Amz-Date header");
  auto when = sigv4::parse_amz_date(*amz_date);
  if (!when) return auth_failure("malformed X-Amz-Date " + *amz_date);
  int64_t skew = *when - now_s;
  if (skew > kMaxRequestSkewS || skew < -kMaxRequestSkewS) {
    return auth_failure("X-Amz-Date " + *amz_date + " is " + std::to_string(skew) +
                        " s away from the simulator's clock (limit 300 s)");
  }
  const std::string* token = header(req, "X-Amz-Security-Token");
  if (entry->session_token.empty()) {
    if (token) return auth_failure("a long-term key sent with X-Amz-Security-Token");
  } else {
    if (!token)
      return auth_failure("temporary key " + parsed->access_key_id +
                          " without X-Amz-Security-Token");
    if (!constant_time_equal(*token, entry->session_token)) {
      return auth_failure("temporary key " + parsed->access_key_id +
                          " with a session token that is not its own");
    }
    if (now_s >= entry->expires_at_s) {
      return auth_failure("temporary key " + parsed->access_key_id + " expired " +
                          std::to_string(now_s - entry->expires_at_s) + " s ago");
    }
  }
  std::string expected =
      sigv4::expected_signature(req, *parsed, entry->secret_access_key, entry->session_token);
  bool match = !expected.empty() && constant_time_equal(expected, parsed->signature);
  sigv4::secure_wipe(expected);
  sigv4::secure_wipe(entry->secret_access_key);
  if (!match) {
    AuthResult r;
    r.error = ec2_error(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your "
        "AWS Secret Access Key and signing method. Consult the service documentation for details.");
    r.reason = "signature mismatch for key " + parsed->access_key_id;
    return r;
  }
  AuthResult ok;
  ok.principal_arn = entry->principal_arn;
  return ok;
}

}  // namespace ec2rk::sim
