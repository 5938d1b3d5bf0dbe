// Endpoint URLs: parsing, the loopback-only rule for plain http://, and the
// partition's default EC2 host for a region (standard, FIPS, dual-stack).
// Source: botocore data/ec2/2016-11-15/endpoint-rule-set-1.json and partitions.json.
#pragma once

#include <string>
#include <string_view>

#include "ec2api/result.h"

namespace ec2rk::ec2api {

struct Url {
  std::string scheme;  // "http" or "https", lower-case
  std::string host;    // lower-case; IPv6 literals without brackets
  int port = 0;        // 0 = the scheme's default (80/443)
  std::string path;    // "" or starting with "/"

  // What goes in the Host header (and is signed): host, [v6] bracketed, ":port" only
  // when not the scheme's default.
  std::string host_header() const;
  // scheme://host_header, without path.
  std::string origin() const;
};

// Parses an absolute http(s) URL. kConfig for anything else, and for URLs with
// user info (credentials do not belong in URLs), a query or a fragment.
Result<Url> parse_url(std::string_view url);

// 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z), and "localhost".
bool is_loopback_host(std::string_view host);

// An EC2 endpoint as configured by `source` (e.g. "--endpoint-url", "AWS_ENDPOINT_URL"):
// https:// to any host; http:// only to a loopback host (a local emulator). kConfig
// otherwise, naming the source.
Result<Url> check_endpoint_url(std::string_view url, std::string_view source);

// Lower-case letters, digits and '-', starting with a letter (so a region can never
// change the shape of a host name).
bool is_valid_region(std::string_view region);

// https://ec2.<region>.<dnsSuffix> for the region's partition (amazonaws.com,
// amazonaws.com.cn for cn-*, ...); FIPS -> ec2-fips. (aws-us-gov: ec2.<region>.amazonaws.com);
// dual-stack -> the partition's dual-stack suffix (api.aws, ...). kConfig for an invalid
// region or a variant the partition does not offer.
Result<std::string> default_endpoint(std::string_view region, bool fips, bool dualstack);

}  // namespace ec2rk::ec2api
