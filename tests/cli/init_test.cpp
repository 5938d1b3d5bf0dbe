// `ec2rk init` with scripted stdin against a fake transport.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "cli/cmd_init.h"
#include "tests/cli/harness.h"

namespace ec2rk::cli {
using namespace test;

namespace {

std::string vpcs_xml() {
  return std::string("<DescribeVpcsResponse") + kNs +
         "><requestId>r</requestId><vpcSet><item><vpcId>vpc-00000001</vpcId><cidrBlock>10.0.0.0/16</cidrBlock>"
         "</item></vpcSet></DescribeVpcsResponse>";
}

void stub_discovery(Harness& h) {
  ObservedState s = on_node1();
  h.transport->on("DescribeInstances", 200, instances_xml({s.instances[kNode1], s.instances[kNode2]}));
  h.transport->on("DescribeVpcs", 200, vpcs_xml());
  ec2api::Route inside = vip_route(kVipEni1);
  inside.destination_cidr_block = "10.0.9.9/32";  // inside the VPC: not a candidate
  h.transport->on("DescribeRouteTables", 200,
                  route_tables_xml({table(kTableA, {vip_route(kVipEni1), inside}), table(kTableB, {vip_route(kVipEni1)})}));
  ec2api::Address other = address("");
  other.public_ip = "198.51.100.7";
  other.allocation_id = "eipalloc-00000009";
  h.transport->on("DescribeAddresses", 200, addresses_xml({address(kWebEni1), other}));
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("init discovers the routes and Elastic IPs and writes a configuration that loads") {
  Harness h;
  h.imds->instance_id = kNode1;
  stub_discovery(h);
  const std::string out = h.dir + "/new/ec2rk.toml";
  // this node (IMDS default), its name, the peer, its name, routes: all, name,
  // ENIs (each node has two: accept the defaults), EIPs: default (the one on a node), name, ENIs.
  const std::string answers = "\n\n" + std::string(kNode2) + "\n\n\nvip\n\n\n\nweb\n\n" + kWebEni2 + "\n";
  CHECK(h.run({"init", "--output-file", out}, answers) == 0);
  CAPTURE(h.err.str());
  auto cfg = load_config(out);
  REQUIRE(cfg.ok());
  CHECK(cfg->nodes.size() == 2);
  REQUIRE(cfg->routes.size() == 1);
  CHECK(cfg->routes[0].destination == "10.1.0.10/32");
  CHECK(cfg->routes[0].eni.at("node1") == kVipEni1);
  CHECK(cfg->routes[0].eni.at("node2") == kVipEni2);
  REQUIRE(cfg->eips.size() == 1);
  CHECK(cfg->eips[0].allocation_id == "eipalloc-00000001");
  CHECK(cfg->eips[0].eni.at("node1") == kWebEni1);
  CHECK(cfg->eips[0].eni.at("node2") == kWebEni2);
  CHECK(h.out.str() == read(out));
  CHECK(h.err.str().find("1) 10.1.0.10/32 in rtb-0000000000000aaa, rtb-0000000000000bbb") != std::string::npos);
  CHECK(h.err.str().find("10.0.9.9") == std::string::npos);
}

TEST_CASE("init never overwrites an existing file without a yes") {
  Harness h;
  h.imds->instance_id = kNode1;
  stub_discovery(h);
  const std::string answers = "\n\n" + std::string(kNode2) + "\n\n\nvip\n\n\n\nweb\n\n\nn\n";
  CHECK(h.run({"init"}, answers) == 4);  // EC2RK_CONFIG names the existing example file
  CHECK(read(h.config_path) == kConfigText);
  CHECK(h.err.str().find("exists. Overwrite it? [y/N]") != std::string::npos);
}

TEST_CASE("init stops with a usage error when stdin ends before the questions do") {
  Harness h;
  CHECK(h.run({"init", "--output-file", h.dir + "/x.toml"}, "") == 2);
  CHECK(h.err.str().find("stdin ended before every question was answered") != std::string::npos);
  CHECK(h.transport->requests().empty());
}

TEST_CASE("the written format round-trips through the parser") {
  Config c = example_config();
  c.routes[0].route_tables = {"rtb-0000000000000ccc"};
  c.eips[0].private_ip["node2"] = "10.0.4.12";
  auto back = parse_config(format_config(c), "x.toml");
  REQUIRE(back.ok());
  CHECK(back->routes[0].route_tables == c.routes[0].route_tables);
  CHECK(back->eips[0].private_ip == c.eips[0].private_ip);
  CHECK(back->endpoint_url == c.endpoint_url);
}

}  // namespace ec2rk::cli
