// AWS Signature Version 4, as pure functions: no I/O, no clock (time is passed in),
// OpenSSL for SHA-256/HMAC only. Each stage is separately callable so tests can
// compare canonical request, string to sign and signature byte for byte.
// Reference:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ec2rk::sigv4 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct Header {
  std::string name;   // as given; canonicalization lower-cases it
  std::string value;  // raw; canonicalization trims and folds whitespace
};

// An HTTP request as it will be sent (or as it was received, for verification).
struct Request {
  std::string method;           // "GET", "POST", ...
  std::string target;           // request-target as on the wire: path plus optional "?query"
  std::vector<Header> headers;  // in wire order; must contain Host
  std::string body;
};

struct SigningParams {
  std::string region;               // signing region, e.g. "us-east-1"
  std::string service;              // "ec2"
  int64_t unix_time = 0;            // seconds since the epoch, UTC: the request's X-Amz-Date
  bool normalize_path = true;       // false is S3's behaviour
  bool sign_body = false;           // add and sign x-amz-content-sha256
  bool omit_session_token = false;  // add X-Amz-Security-Token after signing, unsigned
  int64_t expires_in = 0;           // presigning: X-Amz-Expires
};

// --- stages -----------------------------------------------------------------

std::string hex_sha256(std::string_view data);
std::string amz_date(int64_t unix_time);                    // "20150830T123600Z"
std::string scope_date(int64_t unix_time);                  // "20150830"
std::string credential_scope(const SigningParams& params);  // "20150830/us-east-1/ec2/aws4_request"

// RFC 3986 percent-encoding: only A-Za-z0-9-_.~ stay bare, upper-case hex.
// `encode_slash` = false leaves '/' bare (path segments).
std::string uri_encode(std::string_view s, bool encode_slash = true);
// Decodes %XX escapes; a '%' not followed by two hex digits stays literal, '+' stays '+'.
std::string percent_decode(std::string_view s);

// The canonical URI of `target`'s path: normalized if params.normalize_path (drop "." and ".."
// segments, collapse "//", keep a trailing '/'), then each segment uri_encode'd as it stands
// (an escaped "%20" in the target becomes "%2520": AWS double-encodes paths except for S3).
std::string canonical_uri(std::string_view target, const SigningParams& params);
// The canonical query string of `target`'s query: each key and value percent-decoded then
// uri_encode'd (so raw and pre-encoded input agree; '+' is a literal plus), sorted by encoded
// key then value in byte order; "key" without '=' becomes "key="; empty items are dropped.
std::string canonical_query(std::string_view target);

struct CanonicalHeaders {
  std::string block;           // "name:value\n" lines, sorted, each ending in "\n"
  std::string signed_headers;  // "content-type;host;x-amz-date"
};
// Signs every header in `headers`: names lower-cased and sorted; values trimmed with inner
// whitespace runs (folded lines too) collapsed to one space; repeated names joined with ','
// in wire order.
CanonicalHeaders canonical_headers(const std::vector<Header>& headers);

// The canonical request for `req` as it stands (headers already including X-Amz-Date etc.;
// every header is signed, so leave out ones a transport may rewrite). The payload hash is the
// x-amz-content-sha256 header's value when present, else hex_sha256(req.body).
std::string canonical_request(const Request& req, const SigningParams& params);
std::string string_to_sign(const SigningParams& params, std::string_view canonical_request);

// The derived signing key. Wiped when destroyed.
class SigningKey {
 public:
  SigningKey() = default;
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();
  std::array<unsigned char, 32>& bytes() { return bytes_; }
  const std::array<unsigned char, 32>& bytes() const { return bytes_; }
  std::string hex() const;

 private:
  std::array<unsigned char, 32> bytes_{};
};

SigningKey derive_signing_key(std::string_view secret_access_key, std::string_view date,
                              std::string_view region, std::string_view service);
std::string signature(const SigningKey& key, std::string_view string_to_sign);

// --- whole-request signing ---------------------------------------------------

struct Signed {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;  // header value (header signing only)
  Request request;            // the signed request, ready to send
};

// Header signing: drops any old Authorization, sets X-Amz-Date to params.unix_time (replacing
// one present, so a retry can re-sign), sets X-Amz-Security-Token when a token is set (signed,
// or appended after signing if omit_session_token), x-amz-content-sha256 (if sign_body), then
// appends Authorization. Precondition: req has a Host header. The derived key is wiped.
Signed sign(const Request& req, const Credentials& creds, const SigningParams& params);

// Query signing (presigned URL): appends X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-SignedHeaders, X-Amz-Expires (if expires_in > 0), X-Amz-Security-Token (signed, or
// after signing if omit_session_token), then X-Amz-Signature to the target's query. Headers
// are signed as given (sign_body is ignored); `authorization` stays empty.
Signed presign(const Request& req, const Credentials& creds, const SigningParams& params);

// Inverse of amz_date: "20150830T123600Z" -> unix time; nullopt unless exactly that shape
// with a valid calendar date and time.
std::optional<int64_t> parse_amz_date(std::string_view amz);

// --- verification (the simulator's side) --------------------------------------

// The parts of an Authorization header value, "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/
// SERVICE/aws4_request, SignedHeaders=a;b;c, Signature=<64 lower-case hex>". Components may come
// in any order, separated by ',' with optional spaces; nullopt if one is missing, repeated,
// unknown or malformed (signed header names must be non-empty lower-case tokens).
struct ParsedAuthorization {
  std::string access_key_id;
  std::string date;  // scope date "yyyymmdd"
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // lower-case names, as listed
  std::string signature;                    // lower-case hex
};
std::optional<ParsedAuthorization> parse_authorization(std::string_view value);

// The signature a server expects for `received` (headers as received, including X-Amz-Date and,
// if any, X-Amz-Security-Token; target and body as received). Canonicalizes exactly the headers
// named in auth.signed_headers, in their listed set, takes the time from the X-Amz-Date header,
// and signs with auth's date/region/service scope and `secret` (path normalization on: EC2).
// Returns "" (never a match) when X-Amz-Date is missing or malformed, its date differs from
// auth.date, a listed header is absent, `host` or `x-amz-date` is not listed, an
// x-amz-content-sha256 header differs from the body's hash, or `session_token_or_empty` is
// non-empty and the request's X-Amz-Security-Token header differs from it. `target` must be the
// raw request-target as received (not URL-decoded). Compare the result with
// auth.signature in constant time (CRYPTO_memcmp); the derived key is wiped before returning.
std::string expected_signature(const Request& received, const ParsedAuthorization& auth,
                               std::string_view secret, const std::string& session_token_or_empty);

// Wipes a string's bytes (secrets), its whole capacity, in a way the optimizer keeps; leaves
// it empty.
void secure_wipe(std::string& s);

}  // namespace ec2rk::sigv4
