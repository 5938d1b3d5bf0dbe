// The simulator's model of one AWS account in one region (VPCs, subnets, gateways, instances,
// ENIs, route tables, Elastic IPs) and the scenario around it (credentials, denied actions, the
// ec2rk configuration it implies), loaded from JSON. The built-in "example" scenario is that same
// JSON (sim/scenarios/example.json), so both paths share one loader. Plain data, no locking:
// the Simulator owns a State and guards it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ec2api/result.h"

namespace ec2rk::sim {

using Json = nlohmann::ordered_json;

struct Tag {
  std::string key;
  std::string value;
};
using Tags = std::vector<Tag>;
const std::string* find_tag(const Tags& tags, std::string_view key);

struct Vpc {
  std::string id;
  std::string cidr;
  std::string cidr_association_id;  // vpc-cidr-assoc-...
  std::string dhcp_options_id;
  bool is_default = false;
  Tags tags;
};

struct Subnet {
  std::string id;
  std::string vpc_id;
  std::string cidr;
  std::string availability_zone;
  bool map_public_ip_on_launch = false;
  Tags tags;
};

struct InternetGateway {
  std::string id;
  std::string vpc_id;  // "" when detached
  Tags tags;
};

struct SecurityGroup {
  std::string id;
  std::string name;
};

struct Attachment {
  std::string id;  // eni-attach-...
  std::string instance_id;
  int device_index = 0;
};

struct NetworkInterface {
  std::string id;
  std::string subnet_id;
  std::string description;
  std::string mac;
  std::vector<std::string> private_ips;  // first is the primary
  bool source_dest_check = true;
  std::optional<Attachment> attachment;  // nullopt: "available" (detached)
  std::vector<SecurityGroup> groups;
  Tags tags;
};

struct Instance {
  std::string id;
  std::string reservation_id;
  std::string image_id;
  std::string instance_type;
  std::string state = "running";  // pending|running|stopping|stopped|shutting-down|terminated
  std::string launch_time;        // ISO-8601, e.g. 2024-05-14T09:20:40.000Z
  std::string iam_role;           // instance profile role name; "" for none
  Tags tags;
};
int instance_state_code(std::string_view state);  // EC2's codes: running 16, stopped 80, ...

// One route. Exactly one target field is set; EC2 records routes created with InstanceId by the
// instance's ENI, so the model has no instance target.
struct Route {
  std::string destination;  // canonical CIDR
  std::string gateway_id;   // "local" or igw-...
  std::string nat_gateway_id;
  std::string network_interface_id;
  std::string origin = "CreateRoute";  // or CreateRouteTable for the local route
};

struct RouteTableAssociation {
  std::string id;         // rtbassoc-...
  std::string subnet_id;  // "" for the main association
  bool main = false;
};

struct RouteTable {
  std::string id;
  std::string vpc_id;
  std::vector<Route> routes;
  std::vector<RouteTableAssociation> associations;
  Tags tags;
};

struct Address {
  std::string allocation_id;
  std::string public_ip;
  std::string association_id;  // "" when not associated
  std::string network_interface_id;
  std::string private_ip;
  Tags tags;
};

struct State {
  std::string account_id;
  std::string region;
  std::vector<std::pair<std::string, std::string>> availability_zones;  // name, zone id
  std::vector<Vpc> vpcs;
  std::vector<Subnet> subnets;
  std::vector<InternetGateway> internet_gateways;
  std::vector<Instance> instances;
  std::vector<NetworkInterface> network_interfaces;
  std::vector<RouteTable> route_tables;
  std::vector<Address> addresses;
  uint64_t next_generated_id = 1;  // counter behind ids the simulator makes (associations)

  // Lookups return nullptr when the id is unknown.
  const Vpc* vpc(std::string_view id) const;
  const Subnet* subnet(std::string_view id) const;
  const Instance* instance(std::string_view id) const;
  Instance* instance(std::string_view id);
  const NetworkInterface* eni(std::string_view id) const;
  NetworkInterface* eni(std::string_view id);
  const RouteTable* route_table(std::string_view id) const;
  RouteTable* route_table(std::string_view id);
  const Address* address_by_allocation(std::string_view id) const;
  Address* address_by_allocation(std::string_view id);
  const InternetGateway* internet_gateway(std::string_view id) const;

  std::string availability_zone_id(std::string_view zone) const;  // "" if unknown
  std::string eni_vpc_id(const NetworkInterface& eni) const;
  std::string eni_availability_zone(const NetworkInterface& eni) const;
  // ENIs attached to `instance_id`, ordered by device index.
  std::vector<const NetworkInterface*> instance_enis(std::string_view instance_id) const;
  // The address associated with (eni, private ip), or nullptr.
  const Address* address_on(std::string_view eni_id, std::string_view private_ip) const;
  // "active" or "blackhole", as EC2 reports: a route to an ENI is a blackhole when the ENI is
  // gone, detached, or its instance is not running.
  std::string route_state(const Route& route) const;
  // The instance a route's ENI target is attached to ("" if none).
  std::string route_instance_id(const Route& route) const;

  // A fresh id "<prefix>-0ec2" + 13 hex digits from next_generated_id (deterministic).
  std::string generate_id(std::string_view prefix);
};

// The ec2rk configuration the scenario implies (what --write-config writes).
struct NodeRef {
  std::string name;
  std::string instance_id;
};
struct RouteResource {
  std::string name;
  std::string vpc_id;
  std::string destination;
  std::vector<std::pair<std::string, std::string>> eni;  // node name, eni id
};
struct EipResource {
  std::string name;
  std::string allocation_id;
  std::vector<std::pair<std::string, std::string>> eni;         // node name, eni id
  std::vector<std::pair<std::string, std::string>> private_ip;  // node name, ip
};
struct Ec2rkSection {
  std::vector<NodeRef> nodes;
  std::vector<RouteResource> routes;
  std::vector<EipResource> eips;
};

struct Credential {
  std::string access_key_id;
  std::string secret_access_key;
};

struct Scenario {
  std::string name;
  State state;
  std::vector<Credential> credentials;
  std::vector<std::string> denied_actions;  // EC2 action names refused with UnauthorizedOperation
  Ec2rkSection ec2rk;
};

// The built-in example scenario's JSON text (sim/scenarios/example.json, embedded at build time).
std::string_view example_scenario_json();

// Parses and validates a scenario (every reference must resolve; ids unique). Errors are kConfig
// with a message naming the offending field.
Result<Scenario> parse_scenario(std::string_view json_text);
// "example" (the built-in) or a path to a JSON file.
Result<Scenario> load_scenario(std::string_view name_or_path);

// Adds `count` route tables to the scenario's first ec2rk route's VPC (or the first VPC), each
// with the local route and that route's destination -> its first node's ENI, Name tag
// "vip-extra-NNN", no subnet association. Ids: rtb-0ec2000000e + 6 decimal digits of the index.
void add_route_tables(Scenario& scenario, int count);

// The whole state as scenario-format JSON (routes carry their computed "state"). Credentials
// are never included.
Json state_to_json(const State& state);

// Validation helpers shared with the actions layer.
bool parse_ipv4(std::string_view text, uint32_t* out);
// "10.1.0.10/32" -> canonical form (host bits cleared); nullopt when not a valid IPv4 CIDR.
std::optional<std::string> canonical_cidr(std::string_view text);
bool ipv4_in_cidr(std::string_view ip, std::string_view cidr);

}  // namespace ec2rk::sim
