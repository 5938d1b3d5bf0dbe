// The typed EC2 model: one request/response struct per action ec2rk uses, named
// after the action. Only the fields ec2rk needs; unknown response elements are ignored.
// Wire names: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/ (API 2016-11-15).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ec2rk::ec2api {

struct Filter {
  std::string name;                 // e.g. "vpc-id", "route.destination-cidr-block"
  std::vector<std::string> values;  // OR-ed
};

struct Tag {
  std::string key;
  std::string value;
};

// Every response carries EC2's request id.
struct ResponseMeta {
  std::string request_id;
};

// ---- DescribeRouteTables ----------------------------------------------------

struct Route {
  std::string destination_cidr_block;
  std::string destination_ipv6_cidr_block;
  std::string destination_prefix_list_id;
  std::string gateway_id;
  std::string instance_id;
  std::string instance_owner_id;
  std::string network_interface_id;
  std::string nat_gateway_id;
  std::string transit_gateway_id;
  std::string vpc_peering_connection_id;
  std::string state;   // "active" | "blackhole" | "filtered"
  std::string origin;  // "CreateRouteTable" | "CreateRoute" | ...
};

struct RouteTableAssociation {
  std::string route_table_association_id;
  std::string route_table_id;
  std::string subnet_id;   // empty for the main association
  std::string gateway_id;
  bool main = false;
  std::string state;       // associationState/state
};

struct RouteTable {
  std::string route_table_id;
  std::string vpc_id;
  std::string owner_id;
  std::vector<Route> routes;
  std::vector<RouteTableAssociation> associations;
  std::vector<Tag> tags;
};

struct DescribeRouteTablesRequest {
  std::vector<std::string> route_table_ids;
  std::vector<Filter> filters;
  std::optional<int> max_results;  // 5-100
  std::string next_token;
  bool dry_run = false;
};

struct DescribeRouteTablesResponse {
  ResponseMeta meta;
  std::vector<RouteTable> route_tables;
  std::string next_token;
};

// ---- CreateRoute / ReplaceRoute --------------------------------------------

struct RouteChangeRequest {  // shared shape; serialized as CreateRoute or ReplaceRoute
  std::string route_table_id;
  std::string destination_cidr_block;       // one of these two
  std::string destination_ipv6_cidr_block;
  std::string network_interface_id;         // the target
  bool dry_run = false;
  std::string instance_id;                  // alternative target (EC2 needs a single-ENI instance)
};
struct CreateRouteRequest : RouteChangeRequest {};
struct ReplaceRouteRequest : RouteChangeRequest {};

struct ReturnResponse {  // <return>true</return> actions
  ResponseMeta meta;
  bool returned = false;
};
using CreateRouteResponse = ReturnResponse;
using ReplaceRouteResponse = ReturnResponse;

// ---- DeleteRoute --------------------------------------------------------------

struct DeleteRouteRequest {
  std::string route_table_id;
  std::string destination_cidr_block;       // one of these two
  std::string destination_ipv6_cidr_block;
  bool dry_run = false;
};
using DeleteRouteResponse = ReturnResponse;

// ---- DescribeAddresses / AssociateAddress / DisassociateAddress ------------

struct Address {
  std::string public_ip;
  std::string allocation_id;
  std::string association_id;  // empty when unassociated
  std::string domain;
  std::string instance_id;
  std::string network_interface_id;
  std::string network_interface_owner_id;
  std::string private_ip_address;
  std::string network_border_group;
  std::vector<Tag> tags;
};

struct DescribeAddressesRequest {
  std::vector<std::string> allocation_ids;
  std::vector<std::string> public_ips;
  std::vector<Filter> filters;
  bool dry_run = false;
};

struct DescribeAddressesResponse {
  ResponseMeta meta;
  std::vector<Address> addresses;
};

struct AssociateAddressRequest {
  std::string allocation_id;
  std::string network_interface_id;
  std::string private_ip_address;           // optional
  std::optional<bool> allow_reassociation;  // ec2rk always sends true
  bool dry_run = false;
};

struct AssociateAddressResponse {
  ResponseMeta meta;
  std::string association_id;
};

struct DisassociateAddressRequest {
  std::string association_id;
  bool dry_run = false;
};
using DisassociateAddressResponse = ReturnResponse;

// ---- DescribeNetworkInterfaces / ModifyNetworkInterfaceAttribute -----------

struct NetworkInterfaceAttachment {
  std::string attachment_id;
  std::string instance_id;
  std::string instance_owner_id;
  int device_index = -1;
  std::string status;  // attaching | attached | detaching | detached
};

struct PrivateIpAddress {
  std::string private_ip_address;
  bool primary = false;
  std::string public_ip;  // association/publicIp, if an EIP is on it
  std::string allocation_id;
  std::string association_id;
};

struct NetworkInterface {
  std::string network_interface_id;
  std::string status;  // available | associated | attaching | in-use | detaching
  std::optional<bool> source_dest_check;
  std::optional<NetworkInterfaceAttachment> attachment;
  std::string private_ip_address;  // primary
  std::vector<PrivateIpAddress> private_ip_addresses;
  std::string mac_address;
  std::string vpc_id;
  std::string subnet_id;
  std::string availability_zone;
  std::vector<Tag> tags;
};

struct DescribeNetworkInterfacesRequest {
  std::vector<std::string> network_interface_ids;
  std::vector<Filter> filters;
  std::optional<int> max_results;  // 5-1000; not with network_interface_ids
  std::string next_token;
  bool dry_run = false;
};

struct DescribeNetworkInterfacesResponse {
  ResponseMeta meta;
  std::vector<NetworkInterface> network_interfaces;
  std::string next_token;
};

struct ModifyNetworkInterfaceAttributeRequest {
  std::string network_interface_id;
  std::optional<bool> source_dest_check;  // SourceDestCheck.Value
  bool dry_run = false;
};
using ModifyNetworkInterfaceAttributeResponse = ReturnResponse;

// ---- DescribeInstances ------------------------------------------------------

struct InstanceNetworkInterface {
  std::string network_interface_id;
  std::string status;
  int device_index = -1;
  std::string private_ip_address;
  std::optional<bool> source_dest_check;
};

struct Instance {
  std::string instance_id;
  std::string state;  // instanceState/name: pending | running | stopping | stopped | ...
  std::string vpc_id;
  std::string subnet_id;
  std::string private_ip_address;
  std::string availability_zone;
  std::vector<InstanceNetworkInterface> network_interfaces;
  std::vector<Tag> tags;
};

struct DescribeInstancesRequest {
  std::vector<std::string> instance_ids;
  std::vector<Filter> filters;
  std::optional<int> max_results;  // 5-1000; not with instance_ids
  std::string next_token;
  bool dry_run = false;
};

struct DescribeInstancesResponse {
  ResponseMeta meta;
  std::vector<Instance> instances;  // flattened across reservations
  std::string next_token;
};

// ---- DescribeVpcs (for init) -------------------------------------------------

struct Vpc {
  std::string vpc_id;
  std::string cidr_block;
  std::vector<std::string> cidr_blocks;  // all associated IPv4 CIDRs
  std::vector<Tag> tags;
};

struct DescribeVpcsRequest {
  std::vector<std::string> vpc_ids;
  std::vector<Filter> filters;
  bool dry_run = false;
  std::optional<int> max_results;  // 5-1000
  std::string next_token;
};

struct DescribeVpcsResponse {
  ResponseMeta meta;
  std::vector<Vpc> vpcs;
  std::string next_token;
};

// Tag value for `key`, or "" when absent.
std::string tag_value(const std::vector<Tag>& tags, std::string_view key);

}  // namespace ec2rk::ec2api
