// EC2 XML response parsing (the only pugixml user). Elements are matched by local
// name, unknown elements are ignored, element order is not relied on. A body that
// is not the expected document gives an Error of kind kParse; nothing here throws.
#pragma once

#include <string_view>

#include "ec2api/model.h"
#include "ec2api/result.h"

namespace ec2rk::ec2api {

Result<DescribeRouteTablesResponse> parse_describe_route_tables(std::string_view body);
Result<ReturnResponse> parse_return(std::string_view body);  // CreateRoute, ReplaceRoute, ...
Result<DescribeAddressesResponse> parse_describe_addresses(std::string_view body);
Result<AssociateAddressResponse> parse_associate_address(std::string_view body);
Result<DescribeNetworkInterfacesResponse> parse_describe_network_interfaces(std::string_view body);
Result<DescribeInstancesResponse> parse_describe_instances(std::string_view body);
Result<DescribeVpcsResponse> parse_describe_vpcs(std::string_view body);

// The request id of any EC2 response: <requestId> (success) or <RequestID> (error); "" if none.
std::string parse_request_id(std::string_view body);

// Maps an error response (status >= 300) to an Error: first <Error>'s Code and
// Message, <RequestID>, the status, and the kind (throttling codes -> kThrottled,
// 5xx -> kServer, other 4xx -> kService). A non-XML or empty body falls back to
// the HTTP status.
Error parse_error_response(int http_status, std::string_view body);

// True for the throttling codes of the SDKs' standard retry mode.
bool is_throttling_code(std::string_view code);

}  // namespace ec2rk::ec2api
