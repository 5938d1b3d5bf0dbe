// URI encoding, canonical URI and canonical query string.
// Rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// (step 1: "CanonicalURI", "CanonicalQueryString"); path normalization follows botocore's
// remove_dot_segments (botocore/utils.py), which also collapses repeated slashes.
#include <algorithm>
#include <utility>

#include "sigv4/detail.h"

namespace ec2rk::sigv4 {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}


// botocore's remove_dot_segments: drop empty and "." segments, ".." pops one, keep a leading
// '/' and a trailing '/' (when anything remains).
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> kept;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!seg.empty() && seg != ".") {
      kept.push_back(seg);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(kept[i]);
  }
  if (!kept.empty() && path.back() == '/') out.push_back('/');
  return out;
}

}  // namespace

// SigV4 query strings are RFC 3986, not HTML forms: '+' is a literal plus here.
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string uri_encode(std::string_view s, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (c == '/' && !encode_slash)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string canonical_uri(std::string_view target, const SigningParams& params) {
  std::string_view path = detail::target_path(target);
  if (path.empty()) return "/";
  // The path is encoded as it stands on the wire (an already-escaped "%20" becomes "%2520"):
  // AWS encodes path segments twice for every service but S3.
  std::string canonical = params.normalize_path ? uri_encode(remove_dot_segments(path), false)
                                                : uri_encode(path, false);
  if (canonical.front() != '/') canonical.insert(canonical.begin(), '/');
  return canonical;
}

std::string canonical_query(std::string_view target) {
  std::string_view query = detail::target_query(target);
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view item = query.substr(start, end - start);
    if (!item.empty()) {
      size_t eq = item.find('=');
      std::string_view key = item.substr(0, eq);
      std::string_view value =
          eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
      // Decode first so pre-encoded and raw input canonicalize alike.
      params.emplace_back(uri_encode(percent_decode(key)), uri_encode(percent_decode(value)));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());  // by encoded key, then value; byte order
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(key).append("=").append(value);
  }
  return out;
}

}  // namespace ec2rk::sigv4
