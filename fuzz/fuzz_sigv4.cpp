// Fuzzes SigV4 canonicalization and verification (sigv4/sigv4.h). The input is a raw HTTP
// request as the signing suites write it (request line, "Name:value" headers, empty line,
// body), parsed with the suites' own reader. Checked: canonical_request, canonical_query and
// parse_authorization never crash; canonical_query is idempotent; parse_authorization of
// every header value is safe; and for a request with a Host header and token header names,
// sign -> parse_authorization -> expected_signature round-trips to the same signature.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "sigv4/sigv4.h"
#include "tests/sigv4/raw_request.h"

using namespace ec2rk::sigv4;

namespace {

bool token_char(char c) {
  if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7F) return false;
  return std::string_view("\"(),/:;<=>?@[\\]{}").find(c) == std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The round trip's preconditions: a Host header, header names that are HTTP tokens, and
// none of the headers sign() itself sets or that change what the verifier hashes.
bool round_trip_applies(const Request& req) {
  bool host = false;
  for (const Header& h : req.headers) {
    if (h.name.empty()) return false;
    for (char c : h.name)
      if (!token_char(c)) return false;
    for (std::string_view own : {"authorization", "x-amz-date", "x-amz-security-token",
                                 "x-amz-content-sha256"}) {
      if (iequals(h.name, own)) return false;
    }
    host |= iequals(h.name, "host");
  }
  return host;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_authorization(text);
  (void)parse_amz_date(text);

  auto parsed = testing::parse_raw_request(text);
  if (!parsed.request) return 0;
  const Request& req = *parsed.request;

  SigningParams params;
  params.region = "us-east-1";
  params.service = "ec2";
  params.unix_time = 1440938160;  // 2015-08-30T12:36:00Z, the suites' time
  for (bool normalize : {true, false}) {
    params.normalize_path = normalize;
    std::string creq = canonical_request(req, params);
    (void)string_to_sign(params, creq);
  }
  params.normalize_path = true;

  const std::string query = canonical_query(req.target);
  FUZZ_CHECK(canonical_query("/?" + query) == query);

  for (const Header& h : req.headers) (void)parse_authorization(h.value);

  if (round_trip_applies(req)) {
    Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
    Signed s = sign(req, creds, params);
    auto auth = parse_authorization(s.authorization);
    FUZZ_CHECK(auth.has_value());
    FUZZ_CHECK(auth->signature == s.signature);
    FUZZ_CHECK(expected_signature(s.request, *auth, creds.secret_access_key, "") == s.signature);
  }
  return 0;
}
