// EC2 Query protocol serialization ("ec2" flavour): Action, Version=2016-11-15,
// 1-based flattened lists, Filter.N.Name / Filter.N.Value.M, lower-case booleans.
// The form body is encoded exactly as botocore (Python urlencode) does: moto
// re-encodes the parsed form that way before checking the signature.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ec2api/model.h"

namespace ec2rk::ec2api {

inline constexpr std::string_view kApiVersion = "2016-11-15";

// One EC2 call's parameters, in order (Action and Version are added by encode_body).
struct Query {
  std::string action;
  std::vector<std::pair<std::string, std::string>> params;
  // Always kApiVersion for EC2; settable so the protocol test suites (other versions) can run.
  std::string version{kApiVersion};

  void add(std::string name, std::string value);
  void add_bool(std::string name, bool value);           // "true"/"false"
  void add_list(const std::string& prefix, const std::vector<std::string>& values);  // P.1, P.2
  void add_filters(const std::vector<Filter>& filters);  // Filter.N.Name, Filter.N.Value.M
};

// application/x-www-form-urlencoded as Python's urlencode: A-Za-z0-9-_.~ bare,
// space as '+', every other byte %XX with upper-case hex.
std::string form_encode(std::string_view s);
// Inverse of form_encode: '+' is a space, %XX (either case) a byte; a malformed
// '%' sequence is kept literally, as Python's unquote_plus does.
std::string form_decode(std::string_view s);
// "Action=X&Version=2016-11-15&k=v&..." (names and values form_encode'd, in order).
std::string encode_body(const Query& q);
// Parses a form body back into pairs (for the simulator and tests); '+' is a space.
// Empty segments ("a=1&&b=2") are skipped; a segment without '=' has an empty value;
// blank values are kept. Never fails: malformed input decodes as literally as possible.
std::vector<std::pair<std::string, std::string>> decode_form(std::string_view body);

// Request structs -> parameters with EC2's wire names (RouteTableId.N, Filter.N.Name,
// Filter.N.Value.M, SourceDestCheck.Value, ...). Empty strings/lists and unset optionals
// are left out; DryRun is sent only when true.
Query to_query(const DescribeRouteTablesRequest& r);
Query to_query(const CreateRouteRequest& r);
Query to_query(const ReplaceRouteRequest& r);
Query to_query(const DeleteRouteRequest& r);
Query to_query(const DescribeAddressesRequest& r);
Query to_query(const AssociateAddressRequest& r);
Query to_query(const DisassociateAddressRequest& r);
Query to_query(const DescribeNetworkInterfacesRequest& r);
Query to_query(const ModifyNetworkInterfaceAttributeRequest& r);
Query to_query(const DescribeInstancesRequest& r);
Query to_query(const DescribeVpcsRequest& r);

}  // namespace ec2rk::ec2api
