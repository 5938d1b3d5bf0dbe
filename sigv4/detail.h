// Internal helpers shared by the sigv4 translation units; not part of the public contract.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigv4/sigv4.h"

namespace ec2rk::sigv4::detail {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

// Path part of a request-target (before '?'), and the query (after the first '?', may be empty).
std::string_view target_path(std::string_view target);
std::string_view target_query(std::string_view target);

// Index of the first header named `name` (case-insensitive), or nullopt.
std::optional<size_t> find_header(const std::vector<Header>& headers, std::string_view name);
// Replaces the value of the first header named `name` and drops later ones, or appends it.
void set_header(std::vector<Header>& headers, std::string_view name, std::string value);
void remove_headers(std::vector<Header>& headers, std::string_view name);

// The canonical request with an explicit payload hash (the verifier computes its own).
std::string canonical_request_with_hash(const Request& req, const SigningParams& params,
                                        std::string_view payload_hash);

}  // namespace ec2rk::sigv4::detail
