#include "sim/params.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "sigv4/sigv4.h"

namespace ec2rk::sim {
namespace {

// Form encoding: '+' is a space, then %XX escapes (a stray '%' stays literal), as sigv4 decodes.
std::string decode_component(std::string_view s) {
  std::string spaced(s);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  return sigv4::percent_decode(spaced);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Parses "prefix.<n>" / "prefix.<n>.rest" and returns n (0 if not of that shape).
long index_after(std::string_view name, std::string_view prefix, std::string_view* rest) {
  if (name.size() <= prefix.size() + 1 || name.substr(0, prefix.size()) != prefix ||
      name[prefix.size()] != '.') {
    return 0;
  }
  std::string_view tail = name.substr(prefix.size() + 1);
  size_t dot = tail.find('.');
  std::string_view digits = tail.substr(0, dot);
  if (!all_digits(digits) || digits.size() > 9) return 0;
  *rest = dot == std::string_view::npos ? std::string_view() : tail.substr(dot + 1);
  return std::stol(std::string(digits));
}

}  // namespace

ParamPairs parse_form(std::string_view text) {
  ParamPairs out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view part = text.substr(pos, amp - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(decode_component(part), "");
      } else {
        out.emplace_back(decode_component(part.substr(0, eq)),
                         decode_component(part.substr(eq + 1)));
      }
    }
    pos = amp + 1;
  }
  return out;
}

std::string_view query_of(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

Params::Params(const ParamPairs& pairs) {
  for (const auto& [k, v] : pairs) {
    if (!has(k)) pairs_.emplace_back(k, v);
  }
}

const std::string* Params::get(std::string_view name) const {
  for (const auto& [k, v] : pairs_) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::string Params::value(std::string_view name, std::string_view fallback) const {
  const std::string* v = get(name);
  return v ? *v : std::string(fallback);
}

std::optional<bool> Params::get_bool(std::string_view name, bool& valid) const {
  const std::string* v = get(name);
  if (!v) return std::nullopt;
  std::string lower;
  for (char c : *v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true") return true;
  if (lower == "false") return false;
  valid = false;
  return std::nullopt;
}

std::vector<std::string> Params::list(std::string_view prefix) const {
  std::map<long, std::string> items;
  for (const auto& [k, v] : pairs_) {
    std::string_view rest;
    long n = index_after(k, prefix, &rest);
    if (n > 0 && rest.empty()) items.emplace(n, v);
  }
  std::vector<std::string> out;
  for (auto& [n, v] : items) out.push_back(v);
  return out;
}

std::vector<Filter> Params::filters() const {
  std::map<long, std::pair<std::string, std::map<long, std::string>>> by_index;
  for (const auto& [k, v] : pairs_) {
    std::string_view rest;
    long n = index_after(k, "Filter", &rest);
    if (n <= 0) continue;
    if (rest == "Name") {
      by_index[n].first = v;
    } else {
      std::string_view vrest;
      long m = index_after(rest, "Value", &vrest);
      if (m > 0 && vrest.empty()) by_index[n].second.emplace(m, v);
    }
  }
  std::vector<Filter> out;
  for (auto& [n, entry] : by_index) {
    Filter f;
    f.name = entry.first;
    for (auto& [m, v] : entry.second) f.values.push_back(v);
    out.push_back(std::move(f));
  }
  return out;
}

std::string param_shape(std::string_view name) {
  std::string out;
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t dot = name.find('.', pos);
    if (dot == std::string_view::npos) dot = name.size();
    std::string_view seg = name.substr(pos, dot - pos);
    if (!out.empty() || pos > 0) out += '.';
    out += all_digits(seg) ? std::string_view("N") : seg;
    pos = dot + 1;
  }
  return out;
}

}  // namespace ec2rk::sim
