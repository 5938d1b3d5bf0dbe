// Whole-request signing: header (Authorization) and query (presigned URL) forms.
#include "sigv4/detail.h"

namespace ec2rk::sigv4 {

namespace {

constexpr std::string_view kTokenHeader = "X-Amz-Security-Token";

// Signs `signed_out.canonical_request` into string_to_sign and signature; the key is wiped
// when it goes out of scope.
void finish(Signed& out, const Credentials& creds, const SigningParams& params) {
  out.string_to_sign = string_to_sign(params, out.canonical_request);
  SigningKey key = derive_signing_key(creds.secret_access_key, scope_date(params.unix_time),
                                      params.region, params.service);
  out.signature = signature(key, out.string_to_sign);
}

std::string credential(const Credentials& creds, const SigningParams& params) {
  return creds.access_key_id + "/" + credential_scope(params);
}

}  // namespace

Signed sign(const Request& req, const Credentials& creds, const SigningParams& params) {
  Signed out;
  out.request = req;
  std::vector<Header>& headers = out.request.headers;
  // Re-signing (a retry) must not sign or keep the previous attempt's signature.
  detail::remove_headers(headers, "Authorization");
  detail::set_header(headers, "X-Amz-Date", amz_date(params.unix_time));
  const bool token = !creds.session_token.empty();
  if (token && params.omit_session_token) {
    detail::remove_headers(headers, kTokenHeader);
  } else if (token) {
    detail::set_header(headers, kTokenHeader, creds.session_token);
  }
  if (params.sign_body) {
    detail::set_header(headers, "x-amz-content-sha256", hex_sha256(out.request.body));
  }

  out.canonical_request = canonical_request(out.request, params);
  finish(out, creds, params);
  out.authorization = std::string(detail::kAlgorithm) + " Credential=" + credential(creds, params) +
                      ", SignedHeaders=" + canonical_headers(headers).signed_headers +
                      ", Signature=" + out.signature;
  headers.push_back(Header{"Authorization", out.authorization});
  if (token && params.omit_session_token) {
    headers.push_back(Header{std::string(kTokenHeader), creds.session_token});
  }
  return out;
}

Signed presign(const Request& req, const Credentials& creds, const SigningParams& params) {
  Signed out;
  out.request = req;
  detail::remove_headers(out.request.headers, "Authorization");
  const bool token = !creds.session_token.empty();

  // Parameter order as aws-c-auth writes presigned URLs; the canonical query sorts them anyway.
  std::string added = "X-Amz-Algorithm=" + std::string(detail::kAlgorithm);
  added += "&X-Amz-Credential=" + uri_encode(credential(creds, params));
  added += "&X-Amz-Date=" + amz_date(params.unix_time);
  added +=
      "&X-Amz-SignedHeaders=" + uri_encode(canonical_headers(out.request.headers).signed_headers);
  if (params.expires_in > 0) added += "&X-Amz-Expires=" + std::to_string(params.expires_in);
  std::string token_param;
  if (token) token_param = "&X-Amz-Security-Token=" + uri_encode(creds.session_token);
  if (!params.omit_session_token) added += token_param;

  std::string& target = out.request.target;
  if (target.find('?') == std::string::npos) {
    target.push_back('?');
  } else if (target.back() != '?' && target.back() != '&') {
    target.push_back('&');
  }
  target += added;

  out.canonical_request = canonical_request(out.request, params);
  finish(out, creds, params);
  if (params.omit_session_token) target += token_param;
  target += "&X-Amz-Signature=" + out.signature;
  return out;
}

}  // namespace ec2rk::sigv4
