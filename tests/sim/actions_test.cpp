#include "sim/actions.h"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "sim_test_util.h"

using namespace ec2rk::sim;
using namespace ec2rk::sim::testing;

namespace {

ActionContext ctx() {
  return ActionContext{"11111111-2222-4333-8444-555555555555", 1'700'000'000'000};
}

ActionResult read(const char* action, const State& s, const std::string& body) {
  const ActionSpec* spec = find_action(action);
  REQUIRE(spec);
  REQUIRE((spec->read != nullptr));
  Params p = form(body);
  REQUIRE_FALSE(check_known_params(*spec, p));
  return spec->read(s, p, ctx());
}

ActionResult write(const char* action, State& s, const std::string& body) {
  const ActionSpec* spec = find_action(action);
  REQUIRE(spec);
  REQUIRE((spec->write != nullptr));
  Params p = form(body);
  REQUIRE_FALSE(check_known_params(*spec, p));
  return spec->write(s, p, ctx());
}

std::string vip_target(const State& s, const char* table) {
  for (const auto& r : s.route_table(table)->routes) {
    if (r.destination == "10.1.0.10/32") return r.network_interface_id;
  }
  return "";
}

// Every element path (local names from the root) in a document.
void collect_paths(const pugi::xml_node& node, const std::string& prefix,
                   std::set<std::string>& out) {
  for (auto c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string path = prefix + "/" + c.name();
    out.insert(path);
    collect_paths(c, path, out);
  }
}

std::set<std::string> paths_of(const std::string& xml) {
  pugi::xml_document doc = parse_xml(xml);
  std::set<std::string> out;
  out.insert(doc.document_element().name());
  collect_paths(doc.document_element(), doc.document_element().name(), out);
  return out;
}

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(EC2RK_SHARED_TESTDATA) + "/ec2-xml/" + name);
  REQUIRE_MESSAGE(in, name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("every element the simulator writes appears at the same place in EC2's samples") {
  Scenario sc = example();
  State& s = sc.state;
  s.route_tables[2].routes.push_back(
      Route{"10.9.0.0/16", "", "nat-0a1b2c3d4e5f67890", "", "CreateRoute"});
  struct Case {
    const char* action;
    std::vector<const char*> fixtures;
    std::set<std::string> extras;  // model members the samples happen not to show
  };
  std::vector<Case> cases = {
      {"DescribeRouteTables", {"DescribeRouteTables.xml", "DescribeRouteTables-page2.xml"}, {}},
      {"DescribeAddresses", {"DescribeAddresses.xml"}, {}},
      {"DescribeNetworkInterfaces", {"DescribeNetworkInterfaces.xml"}, {}},
      {"DescribeInstances",
       {"DescribeInstances.xml"},
       {"DescribeInstancesResponse/reservationSet/item/instancesSet/item/iamInstanceProfile",
        "DescribeInstancesResponse/reservationSet/item/instancesSet/item/iamInstanceProfile/arn",
        "DescribeInstancesResponse/reservationSet/item/instancesSet/item/iamInstanceProfile/id"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.action);
    std::set<std::string> allowed = c.extras;
    for (const char* f : c.fixtures) {
      auto p = paths_of(fixture(f));
      allowed.insert(p.begin(), p.end());
    }
    ActionResult r = read(c.action, s, "");
    REQUIRE_FALSE(r.error);
    for (const auto& path : paths_of(r.xml)) {
      CAPTURE(path);
      CHECK(allowed.count(path) == 1);
    }
    CHECK(r.xml.find("xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"") != std::string::npos);
    CHECK(texts(r.xml, "requestId") == std::vector<std::string>{ctx().request_id});
  }
}

TEST_CASE(
    "DescribeRouteTables filters by VPC and destination and reports instance, owner and state") {
  State s = example().state;
  ActionResult r =
      read("DescribeRouteTables", s,
           "Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-0ec20000000000001"
           "&Filter.2.Name=route.destination-cidr-block&Filter.2.Value.1=10.1.0.10%2F32");
  REQUIRE_FALSE(r.error);
  CHECK(texts(r.xml, "routeTableSet/item/routeTableId") ==
        std::vector<std::string>{kPrivateA, kPrivateB});
  auto instance_ids = texts(r.xml, "routeTableSet/item/routeSet/item/instanceId");
  CHECK(std::count(instance_ids.begin(), instance_ids.end(), kNode1) == 2);
  CHECK(texts(r.xml, "routeTableSet/item/routeSet/item/instanceOwnerId").size() ==
        4);  // VIP + NAT per table
  CHECK(texts(r.xml, "nextToken").empty());
}

TEST_CASE("DescribeRouteTables supports the documented filters") {
  State s = example().state;
  struct Case {
    const char* filter;
    std::vector<std::string> ids;
  };
  std::vector<Case> cases = {
      {"Filter.1.Name=route-table-id&Filter.1.Value.1=rtb-0ec20000000000a01", {kPublicA}},
      {"Filter.1.Name=association.subnet-id&Filter.1.Value.1=subnet-0ec20000000000a02",
       {kPrivateA}},
      {"Filter.1.Name=association.main&Filter.1.Value.1=true", {kMainTable}},
      {"Filter.1.Name=tag:Name&Filter.1.Value.1=rtb-private-*", {kPrivateA, kPrivateB}},
      {"Filter.1.Name=route.gateway-id&Filter.1.Value.1=igw-0ec20000000000001",
       {kPublicA, "rtb-0ec20000000000b01"}},
      {"Filter.1.Name=route.instance-id&Filter.1.Value.1=i-0ec20000000000a00", {kPrivateA}},
      {"Filter.1.Name=route.state&Filter.1.Value.1=blackhole", {}},
      {"Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-other", {}},
      {"RouteTableId.1=rtb-0ec20000000000b02&RouteTableId.2=rtb-0ec20000000000a01",
       {kPublicA, kPrivateB}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.filter);
    ActionResult r = read("DescribeRouteTables", s, c.filter);
    REQUIRE_FALSE(r.error);
    CHECK(texts(r.xml, "routeTableSet/item/routeTableId") == c.ids);
  }
}

TEST_CASE("DescribeRouteTables rejects unknown filters, unknown ids and bad MaxResults") {
  State s = example().state;
  ActionResult r =
      read("DescribeRouteTables", s, "Filter.1.Name=route.network-interface-id&Filter.1.Value.1=x");
  CHECK(r.error.code == "InvalidParameterValue");
  CHECK(r.error.message == "The filter 'route.network-interface-id' is invalid");
  r = read("DescribeRouteTables", s, "RouteTableId.1=rtb-0f0f0f0f0f0f0f0f0");
  CHECK(r.error.code == "InvalidRouteTableID.NotFound");
  CHECK(r.error.message == "The routeTable ID 'rtb-0f0f0f0f0f0f0f0f0' does not exist");
  r = read("DescribeRouteTables", s, "MaxResults=101");
  CHECK(r.error.code == "InvalidParameterValue");
}

TEST_CASE("DescribeRouteTables pages with MaxResults and NextToken over every table exactly once") {
  Scenario sc = example();
  add_route_tables(sc, 13);
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    std::string body = "MaxResults=5" + (token.empty() ? "" : "&NextToken=" + token);
    ActionResult r = read("DescribeRouteTables", sc.state, body);
    REQUIRE_FALSE(r.error);
    auto ids = texts(r.xml, "routeTableSet/item/routeTableId");
    CHECK(ids.size() <= 5);
    seen.insert(seen.end(), ids.begin(), ids.end());
    auto next = texts(r.xml, "nextToken");
    token = next.empty() ? "" : next.front();
    ++pages;
  } while (!token.empty() && pages < 10);
  CHECK(pages == 4);
  CHECK(seen.size() == 18);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 18);
}

TEST_CASE("ReplaceRoute points the VIP at the other node and logs before/after") {
  State s = example().state;
  ActionResult r = write("ReplaceRoute", s,
                         "RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.10%2F32"
                         "&NetworkInterfaceId=eni-0ec20000000000b12");
  REQUIRE_FALSE(r.error);
  CHECK(texts(r.xml, "return") == std::vector<std::string>{"true"});
  CHECK(vip_target(s, kPrivateA) == kNode2Eth0);
  CHECK(vip_target(s, kPrivateB) == kNode1Eth0);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].type == "route_replaced");
  CHECK(r.events[0].detail["before"]["network_interface_id"] == kNode1Eth0);
  CHECK(r.events[0].detail["after"]["network_interface_id"] == kNode2Eth0);
  CHECK(r.events[0].detail["after"]["instance_id"] == kNode2);
  CHECK(r.events[0].time_ms == ctx().now_ms);
}

TEST_CASE("ReplaceRoute by InstanceId needs an instance with a single interface") {
  State s = example().state;
  ActionResult r = write("ReplaceRoute", s,
                         "RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.10%2F32&"
                         "InstanceId=i-0ec20000000000b12");
  CHECK(r.error.code == "InvalidInstanceID");
  r = write("ReplaceRoute", s,
            "RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.10%2F32&InstanceId=i-"
            "0ec20000000000b00");
  REQUIRE_FALSE(r.error);
  CHECK(vip_target(s, kPrivateA) == "eni-0ec20000000000b00");
}

TEST_CASE("ReplaceRoute errors are EC2's, and a failed call changes nothing") {
  State s = example().state;
  struct Case {
    std::string body;
    const char* code;
    const char* message;
  };
  std::vector<Case> cases = {
      {"RouteTableId=rtb-0ec20000000000a01&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId="
       "eni-0ec20000000000b12",
       "InvalidParameterValue",
       "There is no route defined for '10.1.0.10/32' in the route table. Use CreateRoute instead."},
      {"RouteTableId=rtb-0f0f0f0f0f0f0f0f0&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId="
       "eni-0ec20000000000b12",
       "InvalidRouteTableID.NotFound", "The routeTable ID 'rtb-0f0f0f0f0f0f0f0f0' does not exist"},
      {"RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId="
       "eni-0d4e5f6a7b8c9d0e1",
       "InvalidNetworkInterfaceID.NotFound",
       "The networkInterface ID 'eni-0d4e5f6a7b8c9d0e1' does not exist"},
      {"DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId=eni-0ec20000000000b12",
       "MissingParameter", "The request must contain the parameter routeTableId"},
      {"RouteTableId=bogus&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId=eni-"
       "0ec20000000000b12",
       "InvalidRouteTableId.Malformed", nullptr},
      {"RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.300%2F32&NetworkInterfaceId="
       "eni-0ec20000000000b12",
       "InvalidParameterValue", nullptr},
      {"RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.10%2F32",
       "InvalidParameterCombination", nullptr},
      {"RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId="
       "eni-0ec20000000000b12"
       "&GatewayId=igw-0ec20000000000001",
       "InvalidParameterCombination", nullptr},
      {"RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.0.0.0%2F16&NetworkInterfaceId="
       "eni-0ec20000000000b12",
       "InvalidParameterValue", nullptr},
      {"RouteTableId=rtb-0ec20000000000a02&DestinationCidrBlock=10.1.0.10%2F32&GatewayId=igw-"
       "0000000000000000f",
       "InvalidGatewayID.NotFound", nullptr},
  };
  Json before = state_to_json(s);
  for (const auto& c : cases) {
    CAPTURE(c.body);
    ActionResult r = write("ReplaceRoute", s, c.body);
    CHECK(r.error.code == c.code);
    CHECK(r.error.status == 400);
    if (c.message) CHECK(r.error.message == c.message);
    CHECK(r.events.empty());
  }
  CHECK(state_to_json(s) == before);
}

TEST_CASE("CreateRoute adds a route and refuses an existing destination; DeleteRoute removes it") {
  State s = example().state;
  std::string body =
      "RouteTableId=rtb-0ec20000000000a01&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId="
      "eni-0ec20000000000a11";
  ActionResult r = write("CreateRoute", s, body);
  REQUIRE_FALSE(r.error);
  CHECK(vip_target(s, kPublicA) == kNode1Eth0);
  CHECK(r.events.at(0).type == "route_created");
  r = write("CreateRoute", s, body);
  CHECK(r.error.code == "RouteAlreadyExists");
  CHECK(r.error.message == "The route identified by 10.1.0.10/32 already exists.");
  r = write("DeleteRoute", s,
            "RouteTableId=rtb-0ec20000000000a01&DestinationCidrBlock=10.1.0.10%2F32");
  REQUIRE_FALSE(r.error);
  CHECK(vip_target(s, kPublicA).empty());
  CHECK(r.events.at(0).type == "route_deleted");
  r = write("DeleteRoute", s,
            "RouteTableId=rtb-0ec20000000000a01&DestinationCidrBlock=10.1.0.10%2F32");
  CHECK(r.error.code == "InvalidRoute.NotFound");
  r = write("DeleteRoute", s,
            "RouteTableId=rtb-0ec20000000000a01&DestinationCidrBlock=10.0.0.0%2F16");
  CHECK(r.error.code == "InvalidParameterValue");
}

TEST_CASE("CreateRoute refuses an ENI of another VPC") {
  // Put a second VPC with one ENI into the scenario.
  Json j = Json::parse(example_scenario_json());
  j["vpcs"].push_back({{"id", "vpc-0ec20000000000002"}, {"cidr", "172.16.0.0/16"}});
  j["subnets"].push_back({{"id", "subnet-0ec20000000000c01"},
                          {"vpc_id", "vpc-0ec20000000000002"},
                          {"cidr", "172.16.1.0/24"},
                          {"availability_zone", "us-east-1a"}});
  j["network_interfaces"].push_back({{"id", "eni-0ec20000000000c01"},
                                     {"subnet_id", "subnet-0ec20000000000c01"},
                                     {"mac", "02:ec:20:0c:01:00"},
                                     {"private_ips", {"172.16.1.5"}}});
  auto other = parse_scenario(j.dump());
  REQUIRE_MESSAGE(other.ok(), (other.ok() ? "" : other.error().message));
  ActionResult r = write("CreateRoute", other->state,
                         "RouteTableId=rtb-0ec20000000000a01&DestinationCidrBlock=10.1.0.10%2F32"
                         "&NetworkInterfaceId=eni-0ec20000000000c01");
  CHECK(r.error.code == "InvalidParameterValue");
  CHECK(r.error.message.find("belong to different networks") != std::string::npos);
}

TEST_CASE("AssociateAddress moves an associated Elastic IP in one step with a new association id") {
  State s = example().state;
  ActionResult r =
      write("AssociateAddress", s,
            "AllocationId=eipalloc-0ec20000000000001&NetworkInterfaceId=eni-0ec20000000001b12"
            "&PrivateIpAddress=10.0.3.12&AllowReassociation=true");
  REQUIRE_FALSE(r.error);
  const Address* a = s.address_by_allocation(kEip);
  CHECK(a->network_interface_id == kNode2Eth1);
  CHECK(a->private_ip == "10.0.3.12");
  CHECK(a->association_id != kEipAssoc);
  CHECK(texts(r.xml, "associationId") == std::vector<std::string>{a->association_id});
  CHECK(texts(r.xml, "return") == std::vector<std::string>{"true"});
  // One event, no disassociation in between: the address was never unassociated.
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].type == "address_associated");
  CHECK(r.events[0].detail["before"]["network_interface_id"] == kNode1Eth1);
  CHECK(r.events[0].detail["after"]["instance_id"] == kNode2);
}

TEST_CASE("AssociateAddress reassociates by default and refuses with AllowReassociation=false") {
  State s = example().state;
  ActionResult r =
      write("AssociateAddress", s,
            "AllocationId=eipalloc-0ec20000000000001&NetworkInterfaceId=eni-0ec20000000001b12"
            "&AllowReassociation=false");
  CHECK(r.error.code == "Resource.AlreadyAssociated");
  CHECK(s.address_by_allocation(kEip)->network_interface_id == kNode1Eth1);
  r = write("AssociateAddress", s,
            "AllocationId=eipalloc-0ec20000000000001&NetworkInterfaceId=eni-0ec20000000001b12");
  REQUIRE_FALSE(r.error);
  CHECK(s.address_by_allocation(kEip)->private_ip == "10.0.3.12");  // the ENI's primary by default
}

TEST_CASE("AssociateAddress displaces another address from the same private IP") {
  State s = example().state;
  ActionResult r =
      write("AssociateAddress", s,
            "AllocationId=eipalloc-0ec20000000000002&NetworkInterfaceId=eni-0ec20000000001a11");
  REQUIRE_FALSE(r.error);
  CHECK(s.address_by_allocation(kEip)->association_id.empty());
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].type == "address_disassociated");
  CHECK(r.events[1].type == "address_associated");
}

TEST_CASE("AssociateAddress validates its parameters") {
  State s = example().state;
  struct Case {
    std::string body;
    const char* code;
  };
  std::vector<Case> cases = {
      {"AllocationId=eipalloc-0ec20000000000001&NetworkInterfaceId=eni-0ec20000000001b12&"
       "PrivateIpAddress=10.0.3.99",
       "InvalidParameterValue"},
      {"AllocationId=eipalloc-0ec20000000000009&NetworkInterfaceId=eni-0ec20000000001b12",
       "InvalidAllocationID.NotFound"},
      {"AllocationId=eipalloc-0ec20000000000001&NetworkInterfaceId=eni-0ec20000000009b12",
       "InvalidNetworkInterfaceID.NotFound"},
      {"AllocationId=eipalloc-0ec20000000000001", "MissingParameter"},
      {"NetworkInterfaceId=eni-0ec20000000001b12", "MissingParameter"},
      {"AllocationId=eipalloc-0ec20000000000001&NetworkInterfaceId=eni-0ec20000000001b12&"
       "InstanceId=i-0ec20000000000b12",
       "InvalidParameterCombination"},
      {"AllocationId=eipalloc-0ec20000000000001&InstanceId=i-0ec20000000000b12",
       "InvalidInstanceID"},
      {"AllocationId=eipalloc-0ec20000000000001&NetworkInterfaceId=eni-0ec20000000001b12&"
       "AllowReassociation=maybe",
       "InvalidParameterValue"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    ActionResult r = write("AssociateAddress", s, c.body);
    CHECK(r.error.code == c.code);
  }
  CHECK(s.address_by_allocation(kEip)->association_id == kEipAssoc);
}

TEST_CASE(
    "DisassociateAddress clears the association; a stale id is InvalidAssociationID.NotFound") {
  State s = example().state;
  ActionResult r = write("DisassociateAddress", s, "AssociationId=eipassoc-0ec20000000000001");
  REQUIRE_FALSE(r.error);
  CHECK(s.address_by_allocation(kEip)->association_id.empty());
  CHECK(r.events.at(0).type == "address_disassociated");
  CHECK(r.events.at(0).detail["after"].is_null());
  r = write("DisassociateAddress", s, "AssociationId=eipassoc-0ec20000000000001");
  CHECK(r.error.code == "InvalidAssociationID.NotFound");
  CHECK(r.error.message == "The association ID 'eipassoc-0ec20000000000001' does not exist");
}

TEST_CASE("DescribeAddresses selects by allocation id, public ip and filters") {
  State s = example().state;
  struct Case {
    std::string body;
    std::vector<std::string> ips;
  };
  std::vector<Case> cases = {
      {"", {"203.0.113.10", "203.0.113.20"}},
      {"AllocationId.1=eipalloc-0ec20000000000002", {"203.0.113.20"}},
      {"PublicIp.1=203.0.113.10", {"203.0.113.10"}},
      {"Filter.1.Name=network-interface-id&Filter.1.Value.1=eni-0ec20000000001a11",
       {"203.0.113.10"}},
      {"Filter.1.Name=instance-id&Filter.1.Value.1=i-0ec20000000000a11", {"203.0.113.10"}},
      {"Filter.1.Name=association-id&Filter.1.Value.1=eipassoc-0ec20000000000001",
       {"203.0.113.10"}},
      {"Filter.1.Name=allocation-id&Filter.1.Value.1=eipalloc-0ec20000000000001", {"203.0.113.10"}},
      {"Filter.1.Name=public-ip&Filter.1.Value.1=203.0.113.2*", {"203.0.113.20"}},
      {"Filter.1.Name=domain&Filter.1.Value.1=vpc", {"203.0.113.10", "203.0.113.20"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    ActionResult r = read("DescribeAddresses", s, c.body);
    REQUIRE_FALSE(r.error);
    CHECK(texts(r.xml, "addressesSet/item/publicIp") == c.ips);
  }
  ActionResult r = read("DescribeAddresses", s, "AllocationId.1=eipalloc-0123456789abcdef0");
  CHECK(r.error.message == "The allocation ID 'eipalloc-0123456789abcdef0' does not exist");
  r = read("DescribeAddresses", s, "PublicIp.1=198.51.100.1");
  CHECK(r.error.code == "InvalidAddress.NotFound");
  const ActionSpec* spec = find_action("DescribeAddresses");
  CHECK(check_known_params(*spec, form("MaxResults=5")).code == "UnknownParameter");
}

TEST_CASE("DescribeNetworkInterfaces shows attachment, source/dest check and the EIP association") {
  State s = example().state;
  ActionResult r =
      read("DescribeNetworkInterfaces", s, "NetworkInterfaceId.1=eni-0ec20000000001a11");
  REQUIRE_FALSE(r.error);
  CHECK(texts(r.xml, "networkInterfaceSet/item/attachment/instanceId") ==
        std::vector<std::string>{kNode1});
  CHECK(texts(r.xml, "networkInterfaceSet/item/association/allocationId") ==
        std::vector<std::string>{kEip});
  CHECK(texts(r.xml, "networkInterfaceSet/item/privateIpAddressesSet/item/association/publicIp") ==
        std::vector<std::string>{"203.0.113.10"});
  CHECK(texts(r.xml, "networkInterfaceSet/item/sourceDestCheck") ==
        std::vector<std::string>{"true"});
  r = read("DescribeNetworkInterfaces", s,
           "Filter.1.Name=attachment.instance-id&Filter.1.Value.1=i-0ec20000000000b12");
  CHECK(texts(r.xml, "networkInterfaceSet/item/networkInterfaceId") ==
        std::vector<std::string>{kNode2Eth0, kNode2Eth1});
  r = read("DescribeNetworkInterfaces", s,
           "Filter.1.Name=subnet-id&Filter.1.Value.1=subnet-0ec20000000000a01&MaxResults=5");
  CHECK(texts(r.xml, "networkInterfaceSet/item/networkInterfaceId").size() == 2);
  r = read("DescribeNetworkInterfaces", s,
           "NetworkInterfaceId.1=eni-0ec20000000001a11&MaxResults=5");
  CHECK(r.error.code == "InvalidParameterCombination");
}

TEST_CASE("ModifyNetworkInterfaceAttribute sets source/dest check, one attribute per call") {
  State s = example().state;
  ActionResult r = write("ModifyNetworkInterfaceAttribute", s,
                         "NetworkInterfaceId=eni-0ec20000000000a11&SourceDestCheck.Value=true");
  REQUIRE_FALSE(r.error);
  CHECK(s.eni(kNode1Eth0)->source_dest_check);
  CHECK(r.events.at(0).detail["before"] == false);
  r = write(
      "ModifyNetworkInterfaceAttribute", s,
      "NetworkInterfaceId=eni-0ec20000000000a11&SourceDestCheck.Value=false&Description.Value=x");
  CHECK(r.error.code == "InvalidParameterCombination");
  r = write("ModifyNetworkInterfaceAttribute", s, "NetworkInterfaceId=eni-0ec20000000000a11");
  CHECK(r.error.code == "MissingParameter");
  r = write("ModifyNetworkInterfaceAttribute", s,
            "NetworkInterfaceId=eni-0ec20000000000a11&SourceDestCheck.Value=off");
  CHECK(r.error.code == "InvalidParameterValue");
}

TEST_CASE("DescribeInstances returns one reservation per instance with its interfaces") {
  State s = example().state;
  ActionResult r = read("DescribeInstances", s, "InstanceId.1=i-0ec20000000000a11");
  REQUIRE_FALSE(r.error);
  CHECK(texts(r.xml, "reservationSet/item/reservationId") ==
        std::vector<std::string>{"r-0ec20000000000a11"});
  CHECK(texts(r.xml, "reservationSet/item/instancesSet/item/instanceState/name") ==
        std::vector<std::string>{"running"});
  CHECK(
      texts(r.xml,
            "reservationSet/item/instancesSet/item/networkInterfaceSet/item/networkInterfaceId") ==
      std::vector<std::string>{kNode1Eth0, kNode1Eth1});
  r = read("DescribeInstances", s,
           "Filter.1.Name=tag:Name&Filter.1.Value.1=node1&Filter.1.Value.2=node2"
           "&Filter.2.Name=instance-state-name&Filter.2.Value.1=running");
  CHECK(texts(r.xml, "reservationSet/item/instancesSet/item/instanceId") ==
        std::vector<std::string>{kNode1, kNode2});
  r = read("DescribeInstances", s, "InstanceId.1=i-0ec2000000000ffff");
  CHECK(r.error.code == "InvalidInstanceID.NotFound");
}

TEST_CASE(
    "StopInstances turns routes to the instance into blackholes and StartInstances restores them") {
  State s = example().state;
  ActionResult r = write("StopInstances", s, "InstanceId.1=i-0ec20000000000a11");
  REQUIRE_FALSE(r.error);
  CHECK(texts(r.xml, "instancesSet/item/currentState/name") == std::vector<std::string>{"stopped"});
  ActionResult d = read("DescribeRouteTables", s, "RouteTableId.1=rtb-0ec20000000000a02");
  CHECK(texts(d.xml, "routeTableSet/item/routeSet/item/state") ==
        std::vector<std::string>{"active", "active", "blackhole"});
  REQUIRE_FALSE(write("StartInstances", s, "InstanceId.1=i-0ec20000000000a11").error);
  d = read("DescribeRouteTables", s, "Filter.1.Name=route.state&Filter.1.Value.1=blackhole");
  CHECK(texts(d.xml, "routeTableSet/item/routeTableId").empty());
}

TEST_CASE("DescribeVpcs and DescribeSubnets describe the scenario's network") {
  State s = example().state;
  ActionResult r = read("DescribeVpcs", s, "");
  CHECK(texts(r.xml, "vpcSet/item/vpcId") == std::vector<std::string>{kVpc});
  CHECK(texts(r.xml, "vpcSet/item/cidrBlock") == std::vector<std::string>{"10.0.0.0/16"});
  r = read("DescribeSubnets", s, "Filter.1.Name=availability-zone&Filter.1.Value.1=us-east-1b");
  CHECK(texts(r.xml, "subnetSet/item/cidrBlock") ==
        std::vector<std::string>{"10.0.3.0/24", "10.0.4.0/24"});
  r = read("DescribeVpcs", s, "VpcId.1=vpc-0ec2000000000ffff");
  CHECK(r.error.code == "InvalidVpcID.NotFound");
}

TEST_CASE("check_known_params rejects parameters the action does not take") {
  const ActionSpec* spec = find_action("AssociateAddress");
  REQUIRE(spec);
  Ec2Error e =
      check_known_params(*spec, form("AllocationId=a&NetworkInterfaceId=b&AllowReassignment=true"));
  CHECK(e.code == "UnknownParameter");
  CHECK(e.message == "The parameter AllowReassignment is not recognized");
  CHECK_FALSE(
      check_known_params(*spec, form("Action=AssociateAddress&Version=2016-11-15&DryRun=true")));
}

TEST_CASE("the action table dispatches every action once, reads and writes as declared") {
  std::set<std::string_view> names;
  for (const auto& spec : action_table()) {
    CAPTURE(spec.name);
    CHECK(names.insert(spec.name).second);
    CHECK((spec.mutating ? spec.write != nullptr : spec.read != nullptr));
    CHECK((spec.mutating ? spec.read == nullptr : spec.write == nullptr));
  }
  CHECK(find_action("DescribeRegions") == nullptr);
  CHECK(resource_arn(example().state, "rtb-1") ==
        "arn:aws:ec2:us-east-1:123456789012:route-table/rtb-1");
  CHECK(resource_arn(example().state, "") == "*");
}
