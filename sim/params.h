// EC2 Query request parameters as the simulator receives them: a POST form body and/or a
// GET query string, decoded into name/value pairs, with the "ec2" protocol's list and filter
// conventions (Name.1, Name.2, ...; Filter.N.Name / Filter.N.Value.M) on top.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ec2rk::sim {

using ParamPairs = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded decoding: '&'-separated, '+' is a space, %XX (either
// case) is a byte; a malformed escape is kept literally (EC2 would reject it as
// MalformedQueryString; the simulator is lenient here and lets the signature check decide).
ParamPairs parse_form(std::string_view text);

// The part of a request-target after '?', or "" when there is none.
std::string_view query_of(std::string_view target);

struct Filter {
  std::string name;
  std::vector<std::string> values;
};

class Params {
 public:
  Params() = default;
  // Keeps the first occurrence of a repeated name (EC2 clients never repeat one).
  explicit Params(const ParamPairs& pairs);

  bool has(std::string_view name) const { return get(name) != nullptr; }
  const std::string* get(std::string_view name) const;
  std::string value(std::string_view name, std::string_view fallback = "") const;
  // "true"/"false" (case-insensitive); nullopt when absent; `valid` is cleared for other text.
  std::optional<bool> get_bool(std::string_view name, bool& valid) const;

  // Values of prefix.1, prefix.2, ... ordered by index (gaps allowed, as EC2 accepts).
  std::vector<std::string> list(std::string_view prefix) const;
  // Filter.N.Name with Filter.N.Value.M, ordered by N then M.
  std::vector<Filter> filters() const;

  const ParamPairs& all() const { return pairs_; }

 private:
  ParamPairs pairs_;
};

// A parameter name with every all-digit dot-separated segment replaced by "N"
// ("Filter.2.Value.10" -> "Filter.N.Value.N"), for matching against an action's accepted names.
std::string param_shape(std::string_view name);

}  // namespace ec2rk::sim
