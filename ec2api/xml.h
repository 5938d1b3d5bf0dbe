// EC2 XML response parsing (the only pugixml user). Elements are matched by local
// name, unknown elements are ignored, element order is not relied on. A body that
// is not the expected document gives an Error of kind kParse; nothing here throws.
#pragma once

#include <string_view>

#include "ec2api/model.h"
#include "ec2api/result.h"

namespace ec2rk::ec2api {

Result<DescribeRouteTablesResponse> parse_describe_route_tables(std::string_view body);
// CreateRoute, ReplaceRoute, DeleteRoute, DisassociateAddress, Modify...Attribute: any
// <{Action}Response>; `returned` is false when <return> is absent.
Result<ReturnResponse> parse_return(std::string_view body);
Result<DescribeAddressesResponse> parse_describe_addresses(std::string_view body);
Result<AssociateAddressResponse> parse_associate_address(std::string_view body);
Result<DescribeNetworkInterfacesResponse> parse_describe_network_interfaces(std::string_view body);
Result<DescribeInstancesResponse> parse_describe_instances(std::string_view body);
Result<DescribeVpcsResponse> parse_describe_vpcs(std::string_view body);

// The request id of any EC2 response: <requestId> (success) or <RequestID> (error); "" if none.
std::string parse_request_id(std::string_view body);

// Maps an error response (status >= 300) to an Error: first <Error>'s Code and
// Message, <RequestID>, the status, and the kind (throttling codes -> kThrottled,
// 5xx or a transient code -> kServer, other 4xx -> kService). A non-XML or empty
// body, or one without a <Message>, gets the message "HTTP <status>".
// DryRunOperation (412) is kService with that code: callers check aws_code.
Error parse_error_response(int http_status, std::string_view body);

// True for the throttling codes of the SDKs' standard retry mode (ec2-api.md §4.1),
// e.g. RequestLimitExceeded, EC2ThrottledException, Throttling.
bool is_throttling_code(std::string_view code);

// True for the non-throttling codes standard mode retries whatever the status:
// RequestTimeout, RequestTimeoutException.
bool is_transient_code(std::string_view code);

}  // namespace ec2rk::ec2api
