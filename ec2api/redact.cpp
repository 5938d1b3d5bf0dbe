#include "ec2api/redact.h"

#include <regex>

namespace ec2rk::ec2api {
namespace {

struct Rule {
  std::regex pattern;
  const char* replacement;
};

const std::vector<Rule>& rules() {
  static const auto flags = std::regex::ECMAScript | std::regex::icase;
  static const std::vector<Rule> kRules = {
      // A non-SigV4 Authorization value (e.g. a container credentials token): all of it.
      {std::regex(R"((authorization\s*[:=]\s*)(?!\s|AWS4-HMAC-SHA256)[^\r\n]+)", flags),
       "$1<redacted>"},
      // name: value / name=value, for names whose values are secret.
      {std::regex(R"((^|[^A-Za-z0-9_-])((?:x-amz-security-token|x-aws-ec2-metadata-token|)"
                  R"(aws_secret_access_key|aws_session_token|aws_security_token|)"
                  R"(x-amz-signature|signature)\s*[:=]\s*)[^\s,&;"']+)",
                  flags),
       "$1$2<redacted>"},
      // JSON credentials documents (IMDS, container, credential_process).
      {std::regex(R"re(("(?:SecretAccessKey|Token|SessionToken)"\s*:\s*")[^"]*("))re", flags),
       "$1<redacted>$2"},
      // The access key id in a SigV4 credential scope keeps only its last 4 characters.
      {std::regex(R"((credential=)[A-Za-z0-9]*([A-Za-z0-9]{4})(%2F|/))", flags), "$1****$2$3"},
  };
  return kRules;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out(text);
  for (const Rule& r : rules()) out = std::regex_replace(out, r.pattern, r.replacement);
  return out;
}

std::string redact(std::string_view text, const std::vector<std::string>& known_secrets) {
  std::string out = redact(text);
  for (const std::string& secret : known_secrets) {
    if (secret.size() < 8) continue;
    for (size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos)) {
      out.replace(pos, secret.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return out;
}

}  // namespace ec2rk::ec2api
