#include "sim/filters.h"

#include <openssl/evp.h>

#include <algorithm>

namespace ec2rk::sim {

bool glob_match(std::string_view pattern, std::string_view value) {
  // Iterative matcher with single-star backtracking: linear in practice.
  size_t p = 0, v = 0, star = std::string_view::npos, mark = 0;
  while (v < value.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == value[v])) {
      ++p;
      ++v;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::optional<Values> tag_filter_values(const Tags& tags, std::string_view name) {
  if (name.substr(0, 4) == "tag:") {
    Values out;
    if (const std::string* v = find_tag(tags, name.substr(4))) out.push_back(*v);
    return out;
  }
  if (name == "tag-key" || name == "tag-value") {
    Values out;
    for (const auto& t : tags) out.push_back(name == "tag-key" ? t.key : t.value);
    return out;
  }
  return std::nullopt;
}

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string encode_page_token(size_t offset) { return base64("ec2rk-sim:" + std::to_string(offset)); }

std::optional<size_t> decode_page_token(std::string_view token) {
  if (token.empty() || token.size() % 4 != 0 || token.size() > 64) return std::nullopt;
  std::string out(token.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(token.data()),
                          static_cast<int>(token.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '\0') out.pop_back();  // padding bytes
  std::string_view s = out;
  constexpr std::string_view kPrefix = "ec2rk-sim:";
  if (s.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  s.remove_prefix(kPrefix.size());
  if (s.empty() || s.size() > 12) return std::nullopt;
  size_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  return value;
}

Ec2Error paginate(const Params& params, size_t total, const PageRequest& req, Page* page) {
  page->begin = 0;
  page->end = total;
  page->next_token.clear();
  const std::string* max = params.get("MaxResults");
  if (max) {
    if (req.ids_given && req.forbid_max_with_ids) {
      return ec2_error(
          "InvalidParameterCombination",
          "The parameter MaxResults cannot be used with the parameter of resource IDs");
    }
    long n = -1;
    if (!max->empty() && max->size() < 10 &&
        max->find_first_not_of("0123456789") == std::string::npos) {
      n = std::stol(*max);
    }
    if (n < req.min_results || n > req.max_results) {
      return invalid_value("MaxResults", *max,
                           "Expecting a value between " + std::to_string(req.min_results) +
                               " and " + std::to_string(req.max_results) + ".");
    }
    page->end = static_cast<size_t>(n);
  }
  if (const std::string* token = params.get("NextToken"); token && !token->empty()) {
    auto offset = decode_page_token(*token);
    if (!offset || *offset > total) {
      return ec2_error("InvalidPaginationToken", "Invalid pagination token: " + *token);
    }
    page->begin = *offset;
  }
  size_t limit = max ? page->end : total;
  page->end = std::min(total, page->begin + limit);
  if (max && page->end < total) page->next_token = encode_page_token(page->end);
  return {};
}

}  // namespace ec2rk::sim
