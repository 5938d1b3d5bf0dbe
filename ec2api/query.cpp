#include "ec2api/query.h"

#include <algorithm>

#include "sigv4/sigv4.h"

namespace ec2rk::ec2api {

namespace {

// Optional members: EC2 treats an absent parameter and an empty one differently
// (e.g. an empty NextToken is invalid), so unset means "not on the wire".
void add_if(Query& q, const char* name, const std::string& value) {
  if (!value.empty()) q.add(name, value);
}

void add_int_if(Query& q, const char* name, const std::optional<int>& value) {
  if (value) q.add(name, std::to_string(*value));
}

// DryRun=false is the default; botocore sends it only when the caller set it.
void add_dry_run(Query& q, bool dry_run) {
  if (dry_run) q.add_bool("DryRun", true);
}

Query named(std::string action) {
  Query q;
  q.action = std::move(action);
  return q;
}

Query route_change(std::string action, const RouteChangeRequest& r) {
  Query q = named(std::move(action));
  add_if(q, "RouteTableId", r.route_table_id);
  add_if(q, "DestinationCidrBlock", r.destination_cidr_block);
  add_if(q, "DestinationIpv6CidrBlock", r.destination_ipv6_cidr_block);
  add_if(q, "NetworkInterfaceId", r.network_interface_id);
  add_if(q, "InstanceId", r.instance_id);
  add_dry_run(q, r.dry_run);
  return q;
}

// The Describe* shape shared by most calls: IDs, filters, paging, DryRun.
Query describe(std::string action, const char* id_name, const std::vector<std::string>& ids,
               const std::vector<Filter>& filters, const std::optional<int>& max_results,
               const std::string& next_token, bool dry_run) {
  Query q = named(std::move(action));
  q.add_list(id_name, ids);
  q.add_filters(filters);
  add_int_if(q, "MaxResults", max_results);
  add_if(q, "NextToken", next_token);
  add_dry_run(q, dry_run);
  return q;
}

}  // namespace

void Query::add(std::string name, std::string value) {
  params.emplace_back(std::move(name), std::move(value));
}

void Query::add_bool(std::string name, bool value) {
  add(std::move(name), value ? "true" : "false");
}

void Query::add_list(const std::string& prefix, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    add(prefix + "." + std::to_string(i + 1), values[i]);
  }
}

void Query::add_filters(const std::vector<Filter>& filters) {
  for (size_t i = 0; i < filters.size(); ++i) {
    const std::string prefix = "Filter." + std::to_string(i + 1);
    add(prefix + ".Name", filters[i].name);
    add_list(prefix + ".Value", filters[i].values);
  }
}

// Python's urlencode (quote_plus) is RFC 3986 encoding with a space as '+': uri_encode
// writes a space as %20 and a literal '%' as %25, so every "%20" in its output is a space.
std::string form_encode(std::string_view s) {
  std::string out = sigv4::uri_encode(s);
  std::string plus;
  plus.reserve(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    if (out.compare(i, 3, "%20") == 0) {
      plus += '+';
      i += 2;
    } else {
      plus += out[i];
    }
  }
  return plus;
}

std::string form_decode(std::string_view s) {
  std::string spaced(s);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');  // before decoding: %2B stays a '+'
  return sigv4::percent_decode(spaced);
}

std::string encode_body(const Query& q) {
  std::string body = "Action=" + form_encode(q.action) + "&Version=" + form_encode(q.version);
  for (const auto& [name, value] : q.params) {
    body += '&';
    body += form_encode(name);
    body += '=';
    body += form_encode(value);
  }
  return body;
}

std::vector<std::pair<std::string, std::string>> decode_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view segment = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (segment.empty()) continue;
    const size_t eq = segment.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(form_decode(segment), "");
    } else {
      out.emplace_back(form_decode(segment.substr(0, eq)), form_decode(segment.substr(eq + 1)));
    }
  }
  return out;
}

Query to_query(const DescribeRouteTablesRequest& r) {
  return describe("DescribeRouteTables", "RouteTableId", r.route_table_ids, r.filters,
                  r.max_results, r.next_token, r.dry_run);
}

Query to_query(const CreateRouteRequest& r) {
  return route_change("CreateRoute", r);
}

Query to_query(const ReplaceRouteRequest& r) {
  return route_change("ReplaceRoute", r);
}

Query to_query(const DeleteRouteRequest& r) {
  Query q = named("DeleteRoute");
  add_if(q, "RouteTableId", r.route_table_id);
  add_if(q, "DestinationCidrBlock", r.destination_cidr_block);
  add_if(q, "DestinationIpv6CidrBlock", r.destination_ipv6_cidr_block);
  add_dry_run(q, r.dry_run);
  return q;
}

// Not paginated: EC2 has no MaxResults/NextToken for DescribeAddresses.
Query to_query(const DescribeAddressesRequest& r) {
  Query q = named("DescribeAddresses");
  q.add_list("AllocationId", r.allocation_ids);
  q.add_list("PublicIp", r.public_ips);
  q.add_filters(r.filters);
  add_dry_run(q, r.dry_run);
  return q;
}

// The API Reference's sample spells the flag "AllowReassignment"; the model's wire
// name is AllowReassociation (see the ec2-xml testdata README).
Query to_query(const AssociateAddressRequest& r) {
  Query q = named("AssociateAddress");
  add_if(q, "AllocationId", r.allocation_id);
  add_if(q, "NetworkInterfaceId", r.network_interface_id);
  add_if(q, "PrivateIpAddress", r.private_ip_address);
  if (r.allow_reassociation) q.add_bool("AllowReassociation", *r.allow_reassociation);
  add_dry_run(q, r.dry_run);
  return q;
}

Query to_query(const DisassociateAddressRequest& r) {
  Query q = named("DisassociateAddress");
  add_if(q, "AssociationId", r.association_id);
  add_dry_run(q, r.dry_run);
  return q;
}

// The model's locationName for these filters is lower-case "filter"; the ec2
// protocol capitalizes it, so the wire name is Filter.N like everywhere else.
Query to_query(const DescribeNetworkInterfacesRequest& r) {
  return describe("DescribeNetworkInterfaces", "NetworkInterfaceId", r.network_interface_ids,
                  r.filters, r.max_results, r.next_token, r.dry_run);
}

// SourceDestCheck is an AttributeBooleanValue structure, hence ".Value".
Query to_query(const ModifyNetworkInterfaceAttributeRequest& r) {
  Query q = named("ModifyNetworkInterfaceAttribute");
  add_if(q, "NetworkInterfaceId", r.network_interface_id);
  if (r.source_dest_check) q.add_bool("SourceDestCheck.Value", *r.source_dest_check);
  add_dry_run(q, r.dry_run);
  return q;
}

Query to_query(const DescribeInstancesRequest& r) {
  return describe("DescribeInstances", "InstanceId", r.instance_ids, r.filters, r.max_results,
                  r.next_token, r.dry_run);
}

Query to_query(const DescribeVpcsRequest& r) {
  return describe("DescribeVpcs", "VpcId", r.vpc_ids, r.filters, r.max_results, r.next_token,
                  r.dry_run);
}

}  // namespace ec2rk::ec2api
