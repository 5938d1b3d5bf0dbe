// Redaction for anything that may reach a terminal or a log: --debug trace lines,
// error messages built from requests. Signatures, session tokens, IMDS tokens and
// secret keys are replaced by "<redacted>"; access key ids keep their last 4 chars.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ec2rk::ec2api {

inline constexpr std::string_view kRedacted = "<redacted>";

// Redacts by pattern (case-insensitive names): Authorization values (SigV4: the
// Signature and the access key id; any other scheme: all of it), X-Amz-Security-Token,
// X-Amz-Signature, X-aws-ec2-metadata-token (header or query form), ini/env keys
// aws_secret_access_key / aws_session_token / aws_security_token, and the JSON fields
// SecretAccessKey / Token / SessionToken.
std::string redact(std::string_view text);

// redact(text), then every occurrence of each known secret (values of 8+ chars; shorter
// ones are ignored so that common words are not mangled) is replaced too.
std::string redact(std::string_view text, const std::vector<std::string>& known_secrets);

}  // namespace ec2rk::ec2api
