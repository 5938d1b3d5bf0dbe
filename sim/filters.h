// Describe* helpers shared by every action: EC2 filter semantics (values of one filter OR-ed,
// filters AND-ed, '*' and '?' wildcards, case-sensitive) and MaxResults/NextToken paging.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ec2_error.h"
#include "sim/params.h"
#include "sim/state.h"

namespace ec2rk::sim {

// Glob with '*' (any run) and '?' (one character); everything else literal.
bool glob_match(std::string_view pattern, std::string_view value);

// The values a resource has for a filter name, or nullopt when the name is not a filter of
// that resource type. tag:<key>, tag-key and tag-value are handled by tag_filter_values.
using Values = std::vector<std::string>;
std::optional<Values> tag_filter_values(const Tags& tags, std::string_view name);

// True when every filter has a value matching one of the resource's values.
// `values_of(name)` must return nullopt for unknown names (checked up front by the caller).
template <class F>
bool matches_filters(const std::vector<Filter>& filters, F values_of) {
  for (const auto& f : filters) {
    std::optional<Values> have = values_of(f.name);
    if (!have) return false;
    bool any = false;
    for (const auto& want : f.values) {
      for (const auto& v : *have) {
        if (glob_match(want, v)) {
          any = true;
          break;
        }
      }
      if (any) break;
    }
    if (!any) return false;
  }
  return true;
}

// InvalidParameterValue "The filter 'x' is invalid" for the first filter `known` rejects.
template <class F>
Ec2Error check_filter_names(const std::vector<Filter>& filters, F known) {
  for (const auto& f : filters) {
    if (f.name.empty()) return missing_parameter("Filter.N.Name");
    if (!known(f.name))
      return ec2_error("InvalidParameterValue", "The filter '" + f.name + "' is invalid");
  }
  return {};
}

struct PageRequest {
  int min_results = 5;
  int max_results = 1000;
  bool ids_given = false;            // an Id.N list was sent
  bool forbid_max_with_ids = false;  // DescribeNetworkInterfaces / DescribeInstances
};
struct Page {
  size_t begin = 0;
  size_t end = 0;
  std::string next_token;  // empty on the last page
};
// Validates MaxResults/NextToken and picks the slice of `total` items to return.
// Errors: InvalidParameterValue (MaxResults out of range), InvalidParameterCombination
// (MaxResults with ids where forbidden), InvalidPaginationToken (a token this sim did not make
// or one beyond the end).
Ec2Error paginate(const Params& params, size_t total, const PageRequest& req, Page* page);

// Standard base64 (with padding) of `raw`.
std::string base64(std::string_view raw);

// Opaque tokens: base64 of "ec2rk-sim:<offset>".
std::string encode_page_token(size_t offset);
std::optional<size_t> decode_page_token(std::string_view token);

}  // namespace ec2rk::sim
