// Shared test fixture for the cli tests: the example cluster (two nodes, one
// VIP route in two tables, one Elastic IP) as a config text, as an observed
// state, and as EC2 XML response bodies for a FakeTransport.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "cli/config.h"
#include "cli/state.h"
#include "ec2api/model.h"

namespace ec2rk::cli::test {

inline const char* kConfigText = R"(region = "us-east-1"
endpoint_url = "https://ec2.test"

[nodes.node1]
instance_id = "i-0000000000000a001"

[nodes.node2]
instance_id = "i-0000000000000b002"

[routes.vip]
vpc_id = "vpc-00000001"
destination = "10.1.0.10/32"

[routes.vip.eni]
node1 = "eni-000000000000a0a1"
node2 = "eni-000000000000b0b2"

[eips.web]
allocation_id = "eipalloc-00000001"

[eips.web.eni]
node1 = "eni-000000000000a1a1"
node2 = "eni-000000000000b1b2"
)";

inline constexpr const char* kNode1 = "i-0000000000000a001";
inline constexpr const char* kNode2 = "i-0000000000000b002";
inline constexpr const char* kVipEni1 = "eni-000000000000a0a1";
inline constexpr const char* kVipEni2 = "eni-000000000000b0b2";
inline constexpr const char* kWebEni1 = "eni-000000000000a1a1";
inline constexpr const char* kWebEni2 = "eni-000000000000b1b2";
inline constexpr const char* kForeignEni = "eni-00000000000ff0ff";
inline constexpr const char* kTableA = "rtb-0000000000000aaa";
inline constexpr const char* kTableB = "rtb-0000000000000bbb";

inline Config example_config(const std::string& text = kConfigText) {
  auto c = parse_config(text, "test.toml");
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  return *c;
}

inline ec2api::Route vip_route(const std::string& eni, const std::string& state = "active") {
  ec2api::Route r;
  r.destination_cidr_block = "10.1.0.10/32";
  r.network_interface_id = eni;
  r.state = state;
  r.origin = "CreateRoute";
  return r;
}

inline ec2api::RouteTable table(const std::string& id, std::vector<ec2api::Route> routes,
                                const std::string& subnet = "") {
  ec2api::RouteTable t;
  t.route_table_id = id;
  t.vpc_id = "vpc-00000001";
  ec2api::Route local;
  local.destination_cidr_block = "10.0.0.0/16";
  local.gateway_id = "local";
  local.state = "active";
  t.routes.push_back(local);
  for (auto& r : routes) t.routes.push_back(r);
  ec2api::RouteTableAssociation a;
  a.route_table_id = id;
  a.subnet_id = subnet;
  a.main = subnet.empty();
  t.associations.push_back(a);
  t.tags.push_back({"Name", id == kTableA ? "private-a" : "private-b"});
  return t;
}

inline ec2api::NetworkInterface eni(const std::string& id, const std::string& instance,
                                    bool source_dest_check = false) {
  ec2api::NetworkInterface n;
  n.network_interface_id = id;
  n.status = "in-use";
  n.source_dest_check = source_dest_check;
  ec2api::NetworkInterfaceAttachment a;
  a.attachment_id = "eni-attach-" + id.substr(4);
  a.instance_id = instance;
  a.status = "attached";
  a.device_index = 0;
  n.attachment = a;
  n.vpc_id = "vpc-00000001";
  return n;
}

inline ec2api::Instance instance(const std::string& id, const std::vector<std::string>& enis,
                                 const std::string& state = "running") {
  ec2api::Instance i;
  i.instance_id = id;
  i.state = state;
  i.vpc_id = "vpc-00000001";
  int idx = 0;
  for (const auto& e : enis) {
    ec2api::InstanceNetworkInterface ni;
    ni.network_interface_id = e;
    ni.device_index = idx++;
    ni.status = "in-use";
    i.network_interfaces.push_back(ni);
  }
  return i;
}

inline ec2api::Address address(const std::string& eni, const std::string& private_ip = "10.0.2.11") {
  ec2api::Address a;
  a.public_ip = "203.0.113.10";
  a.allocation_id = "eipalloc-00000001";
  a.domain = "vpc";
  if (!eni.empty()) {
    a.association_id = "eipassoc-0000001";
    a.network_interface_id = eni;
    a.private_ip_address = private_ip;
  }
  return a;
}

// Everything on node1 and healthy.
inline ObservedState on_node1() {
  ObservedState s;
  s.routes["vip"].tables = {table(kTableA, {vip_route(kVipEni1)}, "subnet-0000000a"),
                            table(kTableB, {vip_route(kVipEni1)}, "subnet-0000000b")};
  s.eips["web"] = address(kWebEni1);
  s.enis[kVipEni1] = eni(kVipEni1, kNode1);
  s.enis[kVipEni2] = eni(kVipEni2, kNode2);
  s.enis[kWebEni1] = eni(kWebEni1, kNode1, true);
  s.enis[kWebEni2] = eni(kWebEni2, kNode2, true);
  s.instances[kNode1] = instance(kNode1, {kVipEni1, kWebEni1});
  s.instances[kNode2] = instance(kNode2, {kVipEni2, kWebEni2});
  return s;
}

// ---- EC2 XML bodies ---------------------------------------------------------

inline std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '&') out += "&amp;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

inline std::string el(const std::string& name, const std::string& value) {
  return value.empty() ? "" : "<" + name + ">" + xml_escape(value) + "</" + name + ">";
}

inline const char* kNs = " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";

inline std::string route_tables_xml(const std::vector<ec2api::RouteTable>& tables,
                                    const std::string& request_id = "req-rt",
                                    const std::string& next_token = "") {
  std::string x = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeRouteTablesResponse") + kNs +
                  "><requestId>" + request_id + "</requestId><routeTableSet>";
  for (const auto& t : tables) {
    x += "<item>" + el("routeTableId", t.route_table_id) + el("vpcId", t.vpc_id) + "<routeSet>";
    for (const auto& r : t.routes) {
      x += "<item>" + el("destinationCidrBlock", r.destination_cidr_block) +
           el("destinationIpv6CidrBlock", r.destination_ipv6_cidr_block) + el("gatewayId", r.gateway_id) +
           el("networkInterfaceId", r.network_interface_id) + el("instanceId", r.instance_id) +
           el("state", r.state) + el("origin", r.origin) + "</item>";
    }
    x += "</routeSet><associationSet>";
    for (const auto& a : t.associations) {
      x += "<item>" + el("routeTableAssociationId", "rtbassoc-" + t.route_table_id.substr(4)) +
           el("routeTableId", a.route_table_id) + el("subnetId", a.subnet_id) +
           "<main>" + (a.main ? "true" : "false") + "</main>" +
           "<associationState><state>associated</state></associationState></item>";
    }
    x += "</associationSet><tagSet>";
    for (const auto& tag : t.tags) x += "<item>" + el("key", tag.key) + el("value", tag.value) + "</item>";
    x += "</tagSet></item>";
  }
  x += "</routeTableSet>" + el("nextToken", next_token) + "</DescribeRouteTablesResponse>";
  return x;
}

inline std::string addresses_xml(const std::vector<ec2api::Address>& addresses,
                                 const std::string& request_id = "req-addr") {
  std::string x = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeAddressesResponse") + kNs +
                  "><requestId>" + request_id + "</requestId><addressesSet>";
  for (const auto& a : addresses) {
    x += "<item>" + el("publicIp", a.public_ip) + el("allocationId", a.allocation_id) + el("domain", a.domain) +
         el("associationId", a.association_id) + el("networkInterfaceId", a.network_interface_id) +
         el("privateIpAddress", a.private_ip_address) + "</item>";
  }
  return x + "</addressesSet></DescribeAddressesResponse>";
}

inline std::string enis_xml(const std::vector<ec2api::NetworkInterface>& enis) {
  std::string x = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeNetworkInterfacesResponse") +
                  kNs + "><requestId>req-eni</requestId><networkInterfaceSet>";
  for (const auto& n : enis) {
    x += "<item>" + el("networkInterfaceId", n.network_interface_id) + el("vpcId", n.vpc_id) +
         el("status", n.status);
    if (n.source_dest_check) x += el("sourceDestCheck", *n.source_dest_check ? "true" : "false");
    if (n.attachment) {
      x += "<attachment>" + el("attachmentId", n.attachment->attachment_id) +
           el("instanceId", n.attachment->instance_id) + "<deviceIndex>" +
           std::to_string(n.attachment->device_index) + "</deviceIndex>" + el("status", n.attachment->status) +
           "</attachment>";
    }
    x += "</item>";
  }
  return x + "</networkInterfaceSet></DescribeNetworkInterfacesResponse>";
}

inline std::string instances_xml(const std::vector<ec2api::Instance>& instances) {
  std::string x = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeInstancesResponse") + kNs +
                  "><requestId>req-i</requestId><reservationSet><item><reservationId>r-1</reservationId>"
                  "<instancesSet>";
  for (const auto& i : instances) {
    x += "<item>" + el("instanceId", i.instance_id) + "<instanceState><code>16</code>" + el("name", i.state) +
         "</instanceState>" + el("vpcId", i.vpc_id) + "<networkInterfaceSet>";
    for (const auto& n : i.network_interfaces) {
      x += "<item>" + el("networkInterfaceId", n.network_interface_id) + el("status", n.status) +
           "<attachment><deviceIndex>" + std::to_string(n.device_index) + "</deviceIndex></attachment></item>";
    }
    x += "</networkInterfaceSet></item>";
  }
  return x + "</instancesSet></item></reservationSet></DescribeInstancesResponse>";
}

inline std::string return_xml(const std::string& action, const std::string& request_id) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + action + "Response" + kNs + "><requestId>" + request_id +
         "</requestId><return>true</return></" + action + "Response>";
}

inline std::string associate_xml(const std::string& request_id, const std::string& association_id) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><AssociateAddressResponse") + kNs +
         "><requestId>" + request_id + "</requestId><return>true</return><associationId>" + association_id +
         "</associationId></AssociateAddressResponse>";
}

inline std::string error_xml(const std::string& code, const std::string& message,
                             const std::string& request_id = "req-err") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>" +
         xml_escape(message) + "</Message></Error></Errors><RequestID>" + request_id + "</RequestID></Response>";
}

}  // namespace ec2rk::cli::test
