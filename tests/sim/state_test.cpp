#include "sim/state.h"

#include <doctest/doctest.h>

#include "sim_test_util.h"

using namespace ec2rk::sim;
using namespace ec2rk::sim::testing;

TEST_CASE("the example scenario holds PRODUCT.md's topology with its documented ids") {
  Scenario sc = example();
  const State& s = sc.state;
  CHECK(sc.name == "example");
  CHECK(s.region == "us-east-1");
  CHECK(s.account_id == "123456789012");
  REQUIRE(s.vpcs.size() == 1);
  CHECK(s.vpcs[0].cidr == "10.0.0.0/16");
  CHECK(s.subnets.size() == 4);
  CHECK(s.route_tables.size() == 5);
  CHECK(s.addresses.size() == 2);
  REQUIRE(sc.credentials.size() == 1);
  CHECK(sc.credentials[0].access_key_id == "AKIDEXAMPLE");
  // node1: eth0 in private-a is the route target with source/dest check off; eth1 carries the EIP.
  auto enis = s.instance_enis(kNode1);
  REQUIRE(enis.size() == 2);
  CHECK(enis[0]->id == std::string(kNode1Eth0));
  CHECK(enis[0]->private_ips.front() == "10.0.2.11");
  CHECK_FALSE(enis[0]->source_dest_check);
  CHECK(enis[1]->id == std::string(kNode1Eth1));
  CHECK(enis[1]->private_ips.front() == "10.0.1.11");
  CHECK(s.instance_enis(kNode2).front()->private_ips.front() == "10.0.4.12");
  const Address* eip = s.address_by_allocation(kEip);
  REQUIRE(eip);
  CHECK(eip->public_ip == "203.0.113.10");
  CHECK(eip->network_interface_id == kNode1Eth1);
  CHECK(eip->private_ip == "10.0.1.11");
  CHECK(s.address_by_allocation(kSpareEip)->association_id.empty());
  // Both private tables send the VIP to node1's eth0, actively, and default to a NAT instance.
  for (const char* id : {kPrivateA, kPrivateB}) {
    CAPTURE(id);
    const RouteTable* rt = s.route_table(id);
    REQUIRE(rt);
    bool vip = false;
    for (const auto& r : rt->routes) {
      if (r.destination == "10.1.0.10/32") {
        vip = true;
        CHECK(r.network_interface_id == kNode1Eth0);
        CHECK(s.route_state(r) == "active");
        CHECK(s.route_instance_id(r) == kNode1);
      }
      if (r.destination == "0.0.0.0/0")
        CHECK(s.instance(s.route_instance_id(r))->tags.front().value.rfind("nat-", 0) == 0);
    }
    CHECK(vip);
    CHECK(rt->routes.front().gateway_id == "local");  // added by the loader, first as in EC2
  }
  REQUIRE(sc.ec2rk.nodes.size() == 2);
  CHECK(sc.ec2rk.nodes[0].name == "node1");
  CHECK(sc.ec2rk.nodes[0].instance_id == kNode1);
}

TEST_CASE(
    "a route to an ENI turns blackhole when its instance stops or the ENI is detached or gone") {
  State s = example().state;
  Route r;
  r.destination = "10.1.0.10/32";
  r.network_interface_id = kNode1Eth0;
  CHECK(s.route_state(r) == "active");
  s.instance(kNode1)->state = "stopped";
  CHECK(s.route_state(r) == "blackhole");
  s.instance(kNode1)->state = "running";
  s.eni(kNode1Eth0)->attachment.reset();
  CHECK(s.route_state(r) == "blackhole");
  CHECK(s.route_instance_id(r).empty());
  r.network_interface_id = "eni-0000000000000dead";
  CHECK(s.route_state(r) == "blackhole");
}

TEST_CASE("generated ids are deterministic and distinct from scenario ids") {
  State a = example().state;
  State b = example().state;
  CHECK(a.generate_id("eipassoc") == "eipassoc-0ec21000000000001");
  CHECK(a.generate_id("eipassoc") == "eipassoc-0ec21000000000002");
  CHECK(b.generate_id("eipassoc") == "eipassoc-0ec21000000000001");
}

TEST_CASE(
    "add_route_tables appends tables with fixed ids, Name tags and the VIP route to node1's eth0") {
  Scenario sc = example();
  add_route_tables(sc, 12);
  REQUIRE(sc.state.route_tables.size() == 17);
  const RouteTable& first = sc.state.route_tables[5];
  CHECK(first.id == "rtb-0ec2000000e000001");
  CHECK(*find_tag(first.tags, "Name") == "vip-extra-001");
  CHECK(first.vpc_id == kVpc);
  CHECK(first.associations.empty());
  REQUIRE(first.routes.size() == 2);
  CHECK(first.routes[0].gateway_id == "local");
  CHECK(first.routes[1].destination == "10.1.0.10/32");
  CHECK(first.routes[1].network_interface_id == kNode1Eth0);
  CHECK(sc.state.route_tables[16].id == "rtb-0ec2000000e000012");
  CHECK(*find_tag(sc.state.route_tables[16].tags, "Name") == "vip-extra-012");
}

TEST_CASE("state_to_json omits credentials and loads back as an equivalent scenario") {
  Scenario sc = example();
  Json j = state_to_json(sc.state);
  std::string text = j.dump();
  CHECK(text.find("wJalrXUtnFEMI") == std::string::npos);
  CHECK(j["route_tables"][2]["routes"][2]["state"] == "active");
  CHECK(j["route_tables"][2]["routes"][2]["instance_id"] == kNode1);
  auto again = parse_scenario(text);
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
  CHECK(state_to_json(again->state) == j);
}

TEST_CASE("parse_scenario rejects malformed scenarios with a message naming the problem") {
  struct Case {
    std::string json;
    const char* message_part;
  };
  const std::string base_vpc = R"("vpcs": [{"id": "vpc-1", "cidr": "10.0.0.0/16"}])";
  std::vector<Case> cases = {
      {"not json", "invalid JSON"},
      {R"({"region": "us-east-1", "bogus": 1})", "unknown key \"bogus\""},
      {R"({"name": "x"})", "missing \"region\""},
      {R"({"region": 5})", "\"region\" must be a string"},
      {R"({"region": "r", "vpcs": [{"id": "vpc-1", "cidr": "10.0.0.0/33"}]})", "not an IPv4 CIDR"},
      {R"({"region": "r", "vpcs": [{"id": "vpc-1", "cidr": "10.0.0.0/16"}, {"id": "vpc-1", "cidr": "10.1.0.0/16"}]})",
       "duplicate id vpc-1"},
      {R"({"region": "r", "subnets": [{"id": "subnet-1", "vpc_id": "vpc-9", "cidr": "10.0.1.0/24", "availability_zone": "a"}]})",
       "unknown vpc_id vpc-9"},
      {(std::string(R"({"region": "r", )") + base_vpc +
        R"(, "subnets": [{"id": "subnet-1", "vpc_id": "vpc-1", "cidr": "10.0.1.0/24", "availability_zone": "r-1a"}]})"),
       "not in \"availability_zones\""},
      {R"({"region": "r", "route_tables": [{"id": "rtb-1", "vpc_id": "vpc-1"}]})",
       "unknown vpc_id vpc-1"},
      {(std::string(R"({"region": "r", )") + base_vpc +
        R"(, "route_tables": [{"id": "rtb-1", "vpc_id": "vpc-1", "routes": [{"destination": "1.2.3.4/32"}]}]})"),
       "exactly one target"},
      {R"({"region": "r", "addresses": [{"allocation_id": "eipalloc-1", "public_ip": "1.2.3"}]})",
       "not an IPv4"},
      {R"({"region": "r", "addresses": [{"allocation_id": "eipalloc-1", "public_ip": "1.2.3.4",
           "association": {"id": "eipassoc-1", "network_interface_id": "eni-9"}}]})",
       "unknown network interface eni-9"},
      {R"({"region": "r", "ec2rk": {"nodes": {"node1": "i-9"}}})", "unknown instance i-9"},
      {R"({"region": "r", "credentials": [{"access_key_id": "A"}]})",
       "missing \"secret_access_key\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    auto sc = parse_scenario(c.json);
    REQUIRE_FALSE(sc.ok());
    CHECK(sc.error().kind == ec2rk::ErrorKind::kConfig);
    CHECK_MESSAGE(sc.error().message.find(c.message_part) != std::string::npos, sc.error().message);
  }
}

TEST_CASE("load_scenario reports a file it cannot read") {
  auto sc = load_scenario("/nonexistent/scenario.json");
  REQUIRE_FALSE(sc.ok());
  CHECK(sc.error().message.find("/nonexistent/scenario.json") != std::string::npos);
}

TEST_CASE("canonical_cidr clears host bits and rejects what is not an IPv4 CIDR") {
  CHECK(canonical_cidr("10.1.0.10/32") == "10.1.0.10/32");
  CHECK(canonical_cidr("100.68.0.18/18") == "100.68.0.0/18");
  CHECK(canonical_cidr("0.0.0.0/0") == "0.0.0.0/0");
  for (const char* bad : {"10.1.0.10", "10.1.0.10/", "10.1.0.10/33", "10.1.0/24", "256.0.0.0/8",
                          "a.b.c.d/8", "10.01.0.0/16", "10.1.0.10/3x", "::1/128", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(canonical_cidr(bad).has_value());
  }
  CHECK(ipv4_in_cidr("10.0.2.11", "10.0.2.0/24"));
  CHECK_FALSE(ipv4_in_cidr("10.0.3.11", "10.0.2.0/24"));
  CHECK(ipv4_in_cidr("1.2.3.4", "0.0.0.0/0"));
}
