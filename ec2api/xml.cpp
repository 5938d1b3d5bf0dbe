#include "ec2api/xml.h"

#include <array>
#include <utility>

#include "ec2api/xml_node.h"

namespace ec2rk::ec2api {

namespace {

using xml::child;
using xml::child_bool;
using xml::child_int;
using xml::child_text;
using xml::items;

// A string member of T read from the element at `path` (local names, '/' descends).
template <class T>
struct Field {
  std::string_view path;
  std::string T::*member;
};

template <class T, size_t N>
void fill(pugi::xml_node node, T& out, const std::array<Field<T>, N>& fields) {
  for (const Field<T>& f : fields) out.*(f.member) = child_text(node, f.path);
}

// -1 (the model's "unknown") for an absent or malformed index; never throws.
int index_or_unknown(pugi::xml_node node, std::string_view path) {
  const std::optional<long long> v = child_int(node, path);
  return v && *v >= 0 && *v <= 1'000'000 ? static_cast<int>(*v) : -1;
}

constexpr std::array<Field<Route>, 12> kRouteFields{{
    {"destinationCidrBlock", &Route::destination_cidr_block},
    {"destinationIpv6CidrBlock", &Route::destination_ipv6_cidr_block},
    {"destinationPrefixListId", &Route::destination_prefix_list_id},
    {"gatewayId", &Route::gateway_id},
    {"instanceId", &Route::instance_id},
    {"instanceOwnerId", &Route::instance_owner_id},
    {"networkInterfaceId", &Route::network_interface_id},
    {"natGatewayId", &Route::nat_gateway_id},
    {"transitGatewayId", &Route::transit_gateway_id},
    {"vpcPeeringConnectionId", &Route::vpc_peering_connection_id},
    {"state", &Route::state},
    {"origin", &Route::origin},
}};

constexpr std::array<Field<RouteTableAssociation>, 5> kAssociationFields{{
    {"routeTableAssociationId", &RouteTableAssociation::route_table_association_id},
    {"routeTableId", &RouteTableAssociation::route_table_id},
    {"subnetId", &RouteTableAssociation::subnet_id},
    {"gatewayId", &RouteTableAssociation::gateway_id},
    {"associationState/state", &RouteTableAssociation::state},
}};

constexpr std::array<Field<RouteTable>, 3> kRouteTableFields{{
    {"routeTableId", &RouteTable::route_table_id},
    {"vpcId", &RouteTable::vpc_id},
    {"ownerId", &RouteTable::owner_id},
}};

constexpr std::array<Field<Address>, 9> kAddressFields{{
    {"publicIp", &Address::public_ip},
    {"allocationId", &Address::allocation_id},
    {"associationId", &Address::association_id},
    {"domain", &Address::domain},
    {"instanceId", &Address::instance_id},
    {"networkInterfaceId", &Address::network_interface_id},
    {"networkInterfaceOwnerId", &Address::network_interface_owner_id},
    {"privateIpAddress", &Address::private_ip_address},
    {"networkBorderGroup", &Address::network_border_group},
}};

constexpr std::array<Field<NetworkInterfaceAttachment>, 4> kAttachmentFields{{
    {"attachmentId", &NetworkInterfaceAttachment::attachment_id},
    {"instanceId", &NetworkInterfaceAttachment::instance_id},
    {"instanceOwnerId", &NetworkInterfaceAttachment::instance_owner_id},
    {"status", &NetworkInterfaceAttachment::status},
}};

// The EIP on a private IP is reported in its <association>.
constexpr std::array<Field<PrivateIpAddress>, 4> kPrivateIpFields{{
    {"privateIpAddress", &PrivateIpAddress::private_ip_address},
    {"association/publicIp", &PrivateIpAddress::public_ip},
    {"association/allocationId", &PrivateIpAddress::allocation_id},
    {"association/associationId", &PrivateIpAddress::association_id},
}};

constexpr std::array<Field<NetworkInterface>, 7> kNetworkInterfaceFields{{
    {"networkInterfaceId", &NetworkInterface::network_interface_id},
    {"status", &NetworkInterface::status},
    {"privateIpAddress", &NetworkInterface::private_ip_address},
    {"macAddress", &NetworkInterface::mac_address},
    {"vpcId", &NetworkInterface::vpc_id},
    {"subnetId", &NetworkInterface::subnet_id},
    {"availabilityZone", &NetworkInterface::availability_zone},
}};

constexpr std::array<Field<InstanceNetworkInterface>, 3> kInstanceEniFields{{
    {"networkInterfaceId", &InstanceNetworkInterface::network_interface_id},
    {"status", &InstanceNetworkInterface::status},
    {"privateIpAddress", &InstanceNetworkInterface::private_ip_address},
}};

// The wire calls the model's State "instanceState" and puts the AZ under placement.
constexpr std::array<Field<Instance>, 6> kInstanceFields{{
    {"instanceId", &Instance::instance_id},
    {"instanceState/name", &Instance::state},
    {"vpcId", &Instance::vpc_id},
    {"subnetId", &Instance::subnet_id},
    {"privateIpAddress", &Instance::private_ip_address},
    {"placement/availabilityZone", &Instance::availability_zone},
}};

constexpr std::array<Field<Vpc>, 2> kVpcFields{{
    {"vpcId", &Vpc::vpc_id},
    {"cidrBlock", &Vpc::cidr_block},
}};

// Every list entry of `path` parsed by `parse_one`.
template <class F>
auto parse_list(pugi::xml_node node, std::string_view path, F parse_one) {
  std::vector<decltype(parse_one(node))> out;
  for (pugi::xml_node item : items(node, path)) out.push_back(parse_one(item));
  return out;
}

std::vector<Tag> parse_tags(pugi::xml_node node) {
  return parse_list(node, "tagSet", [](pugi::xml_node n) {
    return Tag{child_text(n, "key"), child_text(n, "value")};
  });
}

Route parse_route(pugi::xml_node n) {
  Route r;
  fill(n, r, kRouteFields);
  return r;
}

RouteTableAssociation parse_association(pugi::xml_node n) {
  RouteTableAssociation a;
  fill(n, a, kAssociationFields);
  a.main = child_bool(n, "main").value_or(false);
  return a;
}

RouteTable parse_route_table(pugi::xml_node n) {
  RouteTable t;
  fill(n, t, kRouteTableFields);
  t.routes = parse_list(n, "routeSet", parse_route);
  t.associations = parse_list(n, "associationSet", parse_association);
  t.tags = parse_tags(n);
  return t;
}

Address parse_address(pugi::xml_node n) {
  Address a;
  fill(n, a, kAddressFields);
  a.tags = parse_tags(n);
  return a;
}

PrivateIpAddress parse_private_ip(pugi::xml_node n) {
  PrivateIpAddress p;
  fill(n, p, kPrivateIpFields);
  p.primary = child_bool(n, "primary").value_or(false);
  return p;
}

NetworkInterface parse_network_interface(pugi::xml_node n) {
  NetworkInterface eni;
  fill(n, eni, kNetworkInterfaceFields);
  eni.source_dest_check = child_bool(n, "sourceDestCheck");
  if (pugi::xml_node att = child(n, "attachment")) {
    NetworkInterfaceAttachment a;
    fill(att, a, kAttachmentFields);
    a.device_index = index_or_unknown(att, "deviceIndex");
    eni.attachment = std::move(a);
  }
  eni.private_ip_addresses = parse_list(n, "privateIpAddressesSet", parse_private_ip);
  eni.tags = parse_tags(n);
  return eni;
}

InstanceNetworkInterface parse_instance_eni(pugi::xml_node n) {
  InstanceNetworkInterface eni;
  fill(n, eni, kInstanceEniFields);
  eni.device_index = index_or_unknown(n, "attachment/deviceIndex");
  eni.source_dest_check = child_bool(n, "sourceDestCheck");
  return eni;
}

Instance parse_instance(pugi::xml_node n) {
  Instance i;
  fill(n, i, kInstanceFields);
  i.network_interfaces = parse_list(n, "networkInterfaceSet", parse_instance_eni);
  i.tags = parse_tags(n);
  return i;
}

// cidrBlock is the primary CIDR; cidrBlockAssociationSet lists all of them,
// including ones being (or already) disassociated, which are left out.
Vpc parse_vpc(pugi::xml_node n) {
  Vpc v;
  fill(n, v, kVpcFields);
  for (pugi::xml_node a : items(n, "cidrBlockAssociationSet")) {
    const std::string state = child_text(a, "cidrBlockState/state");
    const std::string cidr = child_text(a, "cidrBlock");
    if (!cidr.empty() && (state.empty() || state == "associated")) v.cidr_blocks.push_back(cidr);
  }
  if (v.cidr_blocks.empty() && !v.cidr_block.empty()) v.cidr_blocks.push_back(v.cidr_block);
  v.tags = parse_tags(n);
  return v;
}

// Parses a success body whose root must be <root>, then fills T via `fill_body`.
template <class T, class F>
Result<T> parse_response(std::string_view body, std::string_view root, F fill_body) {
  pugi::xml_document doc;
  Result<pugi::xml_node> r = xml::load(doc, body, root);
  if (!r) return r.error();
  T out;
  out.meta.request_id = child_text(*r, "requestId");
  fill_body(*r, out);
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// requestId (success), RequestID (EC2 error envelope), RequestId (plain query
// protocol): the same thing in three spellings.
std::string request_id_of(pugi::xml_node root) {
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && iequals(xml::local_name(c), "requestid")) {
      return c.text().get();
    }
  }
  return "";
}

// botocore standard mode's transient codes that are not also throttling codes
// (PriorRequestNotComplete is in the throttling list).
constexpr std::array<std::string_view, 2> kTransientCodes{"RequestTimeout",
                                                          "RequestTimeoutException"};

constexpr std::array<std::string_view, 14> kThrottlingCodes{
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

template <size_t N>
bool contains(const std::array<std::string_view, N>& codes, std::string_view code) {
  for (std::string_view c : codes) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace

Result<DescribeRouteTablesResponse> parse_describe_route_tables(std::string_view body) {
  return parse_response<DescribeRouteTablesResponse>(
      body, "DescribeRouteTablesResponse", [](pugi::xml_node root, auto& out) {
        out.route_tables = parse_list(root, "routeTableSet", parse_route_table);
        out.next_token = child_text(root, "nextToken");
      });
}

Result<ReturnResponse> parse_return(std::string_view body) {
  pugi::xml_document doc;
  Result<pugi::xml_node> r = xml::load_any(doc, body);
  if (!r) return r.error();
  // Any <{Action}Response>, but not the error envelope <Response>.
  const std::string_view root = xml::local_name(*r);
  if (root == "Response" || !ends_with(root, "Response")) {
    return make_error(ErrorKind::kParse,
                      "expected an <{Action}Response> with <return> but the response is <" +
                          std::string(root.substr(0, 100)) + ">");
  }
  ReturnResponse out;
  out.meta.request_id = child_text(*r, "requestId");
  out.returned = child_bool(*r, "return").value_or(false);
  return out;
}

Result<DescribeAddressesResponse> parse_describe_addresses(std::string_view body) {
  return parse_response<DescribeAddressesResponse>(
      body, "DescribeAddressesResponse", [](pugi::xml_node root, auto& out) {
        out.addresses = parse_list(root, "addressesSet", parse_address);
      });
}

Result<AssociateAddressResponse> parse_associate_address(std::string_view body) {
  return parse_response<AssociateAddressResponse>(
      body, "AssociateAddressResponse", [](pugi::xml_node root, auto& out) {
        out.association_id = child_text(root, "associationId");
      });
}

Result<DescribeNetworkInterfacesResponse> parse_describe_network_interfaces(std::string_view body) {
  return parse_response<DescribeNetworkInterfacesResponse>(
      body, "DescribeNetworkInterfacesResponse", [](pugi::xml_node root, auto& out) {
        out.network_interfaces = parse_list(root, "networkInterfaceSet", parse_network_interface);
        out.next_token = child_text(root, "nextToken");
      });
}

// Instances come grouped by reservation; ec2rk only needs the instances.
Result<DescribeInstancesResponse> parse_describe_instances(std::string_view body) {
  return parse_response<DescribeInstancesResponse>(
      body, "DescribeInstancesResponse", [](pugi::xml_node root, auto& out) {
        for (pugi::xml_node reservation : items(root, "reservationSet")) {
          for (pugi::xml_node instance : items(reservation, "instancesSet")) {
            out.instances.push_back(parse_instance(instance));
          }
        }
        out.next_token = child_text(root, "nextToken");
      });
}

Result<DescribeVpcsResponse> parse_describe_vpcs(std::string_view body) {
  return parse_response<DescribeVpcsResponse>(body, "DescribeVpcsResponse",
                                              [](pugi::xml_node root, auto& out) {
                                                out.vpcs = parse_list(root, "vpcSet", parse_vpc);
                                                out.next_token = child_text(root, "nextToken");
                                              });
}

std::string parse_request_id(std::string_view body) {
  pugi::xml_document doc;
  Result<pugi::xml_node> r = xml::load_any(doc, body);
  return r ? request_id_of(*r) : "";
}

bool is_throttling_code(std::string_view code) {
  return contains(kThrottlingCodes, code);
}

bool is_transient_code(std::string_view code) {
  return contains(kTransientCodes, code);
}

Error parse_error_response(int http_status, std::string_view body) {
  Error e;
  e.http_status = http_status;
  pugi::xml_document doc;
  if (Result<pugi::xml_node> r = xml::load_any(doc, body)) {
    // <Response><Errors><Error> (ec2); <ErrorResponse><Error> (query) or a bare
    // <Error> from an intermediary are read the same way. Only the first counts.
    pugi::xml_node error = child(*r, "Errors/Error");
    if (!error) error = child(*r, "Error");
    if (!error && xml::local_name(*r) == "Error") error = *r;
    e.aws_code = child_text(error, "Code");
    e.message = child_text(error, "Message");
    e.request_id = request_id_of(*r);
  }
  // A 5xx from a proxy or load balancer often has an empty or HTML body.
  if (e.message.empty()) e.message = "HTTP " + std::to_string(http_status);
  if (is_throttling_code(e.aws_code)) {
    e.kind = ErrorKind::kThrottled;
  } else if (http_status >= 500 || is_transient_code(e.aws_code)) {
    e.kind = ErrorKind::kServer;
  } else {
    e.kind = ErrorKind::kService;
  }
  return e;
}

}  // namespace ec2rk::ec2api
