// Small string and header helpers used across the signer.
#include <algorithm>

#include "sigv4/detail.h"

namespace ec2rk::sigv4::detail {

namespace {
char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower_ascii);
  return out;
}

std::string_view target_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::string_view target_query(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

std::optional<size_t> find_header(const std::vector<Header>& headers, std::string_view name) {
  for (size_t i = 0; i < headers.size(); ++i) {
    if (iequals(headers[i].name, name)) return i;
  }
  return std::nullopt;
}

void set_header(std::vector<Header>& headers, std::string_view name, std::string value) {
  auto first = find_header(headers, name);
  if (!first) {
    headers.push_back(Header{std::string(name), std::move(value)});
    return;
  }
  headers[*first].value = std::move(value);
  // Later duplicates would be joined into the canonical value; a replaced header must be single.
  for (size_t i = headers.size(); i-- > *first + 1;) {
    if (iequals(headers[i].name, name)) headers.erase(headers.begin() + static_cast<long>(i));
  }
}

void remove_headers(std::vector<Header>& headers, std::string_view name) {
  std::erase_if(headers, [&](const Header& h) { return iequals(h.name, name); });
}

}  // namespace ec2rk::sigv4::detail
