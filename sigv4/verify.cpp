// The server side: parse an Authorization header and recompute the signature it should carry.
#include <openssl/crypto.h>

#include "sigv4/detail.h"

namespace ec2rk::sigv4 {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(
        s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}
// A lower-case HTTP header name (RFC 9110 token characters, no upper case).
bool is_header_char(char c) {
  if (c >= 'A' && c <= 'Z') return false;
  if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7F) return false;
  return std::string_view("\"(),/:;<=>?@[\\]{}").find(c) == std::string_view::npos;
}
// Scope components: no separators, no whitespace or controls.
bool is_scope_char(char c) {
  return static_cast<unsigned char>(c) > ' ' && static_cast<unsigned char>(c) < 0x7F && c != '/' &&
         c != ',' && c != '=';
}

}  // namespace

std::optional<ParsedAuthorization> parse_authorization(std::string_view value) {
  value = trim(value);
  if (value.substr(0, detail::kAlgorithm.size()) != detail::kAlgorithm) return std::nullopt;
  value.remove_prefix(detail::kAlgorithm.size());
  if (value.empty() || !is_space(value.front())) return std::nullopt;

  ParsedAuthorization out;
  bool have_credential = false, have_signed = false, have_signature = false;
  for (std::string_view part : split(trim(value), ',')) {
    part = trim(part);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = part.substr(0, eq);
    std::string_view val = part.substr(eq + 1);
    if (key == "Credential") {
      if (have_credential) return std::nullopt;
      have_credential = true;
      auto fields = split(val, '/');
      if (fields.size() != 5 || fields[4] != detail::kTerminator) return std::nullopt;
      if (fields[1].size() != 8 || !all_of(fields[1], is_digit)) return std::nullopt;
      for (int i : {0, 2, 3}) {
        if (!all_of(fields[i], is_scope_char)) return std::nullopt;
      }
      out.access_key_id = fields[0];
      out.date = fields[1];
      out.region = fields[2];
      out.service = fields[3];
    } else if (key == "SignedHeaders") {
      if (have_signed) return std::nullopt;
      have_signed = true;
      for (std::string_view name : split(val, ';')) {
        if (!all_of(name, is_header_char)) return std::nullopt;
        out.signed_headers.emplace_back(name);
      }
    } else if (key == "Signature") {
      if (have_signature) return std::nullopt;
      have_signature = true;
      if (val.size() != 64 || !all_of(val, is_lower_hex)) return std::nullopt;
      out.signature = val;
    } else {
      return std::nullopt;
    }
  }
  if (!have_credential || !have_signed || !have_signature) return std::nullopt;
  return out;
}

std::string expected_signature(const Request& received, const ParsedAuthorization& auth,
                               std::string_view secret, const std::string& session_token_or_empty) {
  const std::vector<Header>& headers = received.headers;
  auto date_index = detail::find_header(headers, "X-Amz-Date");
  if (!date_index) return {};
  auto unix_time = parse_amz_date(headers[*date_index].value);
  if (!unix_time || scope_date(*unix_time) != auth.date) return {};

  bool host_signed = false, date_signed = false;
  for (const std::string& name : auth.signed_headers) {
    if (!detail::find_header(headers, name)) return {};
    host_signed |= name == "host";
    date_signed |= name == "x-amz-date";
  }
  // Unsigned Host or X-Amz-Date would let a request be redirected or replayed.
  if (!host_signed || !date_signed) return {};

  if (!session_token_or_empty.empty()) {
    auto token = detail::find_header(headers, "X-Amz-Security-Token");
    if (!token) return {};
    const std::string& got = headers[*token].value;
    if (got.size() != session_token_or_empty.size() ||
        CRYPTO_memcmp(got.data(), session_token_or_empty.data(), got.size()) != 0) {
      return {};
    }
  }

  // The payload hash is always the received body's: a stated x-amz-content-sha256 must agree.
  std::string payload_hash = hex_sha256(received.body);
  if (auto stated = detail::find_header(headers, "x-amz-content-sha256")) {
    if (trim(headers[*stated].value) != payload_hash) return {};
  }

  Request subset;
  subset.method = received.method;
  subset.target = received.target;
  for (const Header& h : headers) {
    for (const std::string& name : auth.signed_headers) {
      if (detail::iequals(h.name, name)) {
        subset.headers.push_back(h);
        break;
      }
    }
  }
  SigningParams params;
  params.region = auth.region;
  params.service = auth.service;
  params.unix_time = *unix_time;
  params.normalize_path = true;
  std::string creq = detail::canonical_request_with_hash(subset, params, payload_hash);
  SigningKey key = derive_signing_key(secret, auth.date, auth.region, auth.service);
  return signature(key, string_to_sign(params, creq));
}

}  // namespace ec2rk::sigv4
