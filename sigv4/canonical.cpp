// Canonical headers, canonical request and string to sign.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
#include <algorithm>

#include "sigv4/detail.h"

namespace ec2rk::sigv4 {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Trim, and collapse every inner whitespace run (including folded line breaks) to one space.
// Quoted strings are not exempt (suite case get-header-value-trim).
std::string canonical_value(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  bool pending_space = false;
  for (char c : raw) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string credential_scope(const SigningParams& params) {
  std::string scope = scope_date(params.unix_time);
  scope.append("/").append(params.region).append("/").append(params.service).append("/");
  scope.append(detail::kTerminator);
  return scope;
}

CanonicalHeaders canonical_headers(const std::vector<Header>& headers) {
  struct Entry {
    std::string name;
    std::string value;
  };
  std::vector<Entry> entries;
  entries.reserve(headers.size());
  for (const Header& h : headers)
    entries.push_back({detail::to_lower(h.name), canonical_value(h.value)});
  // Stable: repeated headers keep their wire order when joined (get-header-value-order).
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.name < b.name; });
  CanonicalHeaders out;
  for (size_t i = 0; i < entries.size();) {
    const std::string& name = entries[i].name;
    out.block.append(name).append(":").append(entries[i].value);
    size_t j = i + 1;
    for (; j < entries.size() && entries[j].name == name; ++j) {
      out.block.append(",").append(entries[j].value);
    }
    out.block.append("\n");
    if (!out.signed_headers.empty()) out.signed_headers.append(";");
    out.signed_headers.append(name);
    i = j;
  }
  return out;
}

namespace detail {

std::string canonical_request_with_hash(const Request& req, const SigningParams& params,
                                        std::string_view payload_hash) {
  CanonicalHeaders ch = canonical_headers(req.headers);
  std::string out = req.method;
  out.append("\n").append(canonical_uri(req.target, params));
  out.append("\n").append(canonical_query(req.target));
  out.append("\n").append(ch.block);
  out.append("\n").append(ch.signed_headers);
  out.append("\n").append(payload_hash);
  return out;
}

}  // namespace detail

std::string canonical_request(const Request& req, const SigningParams& params) {
  // An x-amz-content-sha256 header states the payload hash to sign (botocore's `payload`);
  // otherwise hash the body bytes as they will be sent.
  if (auto i = detail::find_header(req.headers, "x-amz-content-sha256")) {
    return detail::canonical_request_with_hash(req, params, canonical_value(req.headers[*i].value));
  }
  return detail::canonical_request_with_hash(req, params, hex_sha256(req.body));
}

std::string string_to_sign(const SigningParams& params, std::string_view canonical_request) {
  std::string out(detail::kAlgorithm);
  out.append("\n").append(amz_date(params.unix_time));
  out.append("\n").append(credential_scope(params));
  out.append("\n").append(hex_sha256(canonical_request));
  return out;
}

}  // namespace ec2rk::sigv4
