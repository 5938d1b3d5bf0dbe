#include "cli/config.h"

#include <doctest/doctest.h>

#include "tests/cli/fixture.h"

namespace ec2rk::cli {
using namespace test;

namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  REQUIRE_MESSAGE(pos != std::string::npos, from);
  return text.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("the example configuration parses into nodes, a route and an Elastic IP") {
  Config c = example_config();
  CHECK(c.region == "us-east-1");
  CHECK(c.endpoint_url == "https://ec2.test");
  REQUIRE(c.nodes.size() == 2);
  CHECK(c.nodes[0].name == "node1");
  CHECK(c.nodes[1].instance_id == kNode2);
  REQUIRE(c.routes.size() == 1);
  CHECK(c.routes[0].destination == "10.1.0.10/32");
  CHECK(c.routes[0].eni.at("node2") == kVipEni2);
  REQUIRE(c.eips.size() == 1);
  CHECK(c.eips[0].allocation_id == "eipalloc-00000001");
  CHECK(c.eips[0].private_ip.empty());
  CHECK(c.resource_names() == std::vector<std::string>{"vip", "web"});
}

TEST_CASE("an IPv6 /128 destination is accepted and put in EC2's canonical form") {
  auto c = parse_config(replaced(kConfigText, "10.1.0.10/32", "2001:DB8:0:0::10/128"), "t.toml");
  REQUIRE(c.ok());
  CHECK(c->routes[0].ipv6);
  CHECK(c->routes[0].destination == "2001:db8::10/128");
}

TEST_CASE("each configuration mistake names the file, the line and what was expected") {
  struct Case {
    const char* what;
    std::string text;
    std::string expected;  // "test.toml:LINE: ..." prefix + a distinctive part
  };
  const std::string t = kConfigText;
  const std::vector<Case> cases = {
      {"TOML syntax error", replaced(t, "[nodes.node2]", "[nodes.node2"), "test.toml:7: "},
      {"unknown top-level key with a suggestion", "regoin = \"x\"\n" + t,
       "test.toml:1: unknown key 'regoin' in the top level (did you mean 'region'?)"},
      {"unknown key in a node", replaced(t, "instance_id = \"i-0000000000000b002\"",
                                         "instance_id = \"i-0000000000000b002\"\ninstance = \"x\""),
       "test.toml:9: unknown key 'instance' in [nodes.node2]"},
      {"bad instance id prefix", replaced(t, "\"i-0000000000000b002\"", "\"0000000000000b002\""),
       "test.toml:8: instance_id = \"0000000000000b002\": expected an instance id (i-...)"},
      {"bad VPC id", replaced(t, "vpc-00000001", "vcp-00000001"),
       "test.toml:11: vpc_id = \"vcp-00000001\": expected a VPC id (vpc-...)"},
      {"bad ENI id", replaced(t, "node2 = \"eni-000000000000b0b2\"", "node2 = \"i-000000000000b0b2\""),
       "test.toml:16: [routes.vip.eni].node2 = \"i-000000000000b0b2\": expected an ENI id (eni-...)"},
      {"bad allocation id", replaced(t, "eipalloc-00000001", "eip-00000001"),
       "test.toml:19: allocation_id = \"eip-00000001\": expected an allocation id (eipalloc-...)"},
      {"destination is a network, not a /32", replaced(t, "10.1.0.10/32", "10.1.0.0/24"),
       "test.toml:12: destination = \"10.1.0.0/24\": expected a single address"},
      {"destination without a prefix length", replaced(t, "10.1.0.10/32", "10.1.0.10"),
       "test.toml:12: destination = \"10.1.0.10\""},
      {"destination not an address", replaced(t, "10.1.0.10/32", "10.1.0.300/32"),
       "test.toml:12: destination = \"10.1.0.300/32\""},
      {"a node missing from an eni mapping", replaced(t, "node2 = \"eni-000000000000b0b2\"\n", ""),
       "test.toml:14: [routes.vip.eni] has no entry for node 'node2'"},
      {"a mapping naming an unknown node",
       replaced(t, "node2 = \"eni-000000000000b1b2\"", "node2 = \"eni-000000000000b1b2\"\nnode3 = \"eni-00000003\""),
       "test.toml:24: [eips.web.eni] names 'node3', which is not a node (did you mean 'node1'?)"},
      {"no eni table", replaced(t, "[routes.vip.eni]\nnode1 = \"eni-000000000000a0a1\"\nnode2 = \"eni-000000000000b0b2\"\n", ""),
       "test.toml:10: [routes.vip] needs a table [routes.vip.eni]"},
      {"missing vpc_id", replaced(t, "vpc_id = \"vpc-00000001\"\n", ""),
       "test.toml:10: [routes.vip] needs 'vpc_id' (a string)"},
      {"wrong type", replaced(t, "\"vpc-00000001\"", "42"), "test.toml:11: 'vpc_id' in [routes.vip] must be a string"},
      {"bad private IP", t + "\n[eips.web.private_ip]\nnode1 = \"10.0.2\"\n",
       "test.toml:26: [eips.web.private_ip].node1 = \"10.0.2\": expected an IPv4 address"},
      {"the same instance for two nodes", replaced(t, "i-0000000000000b002", "i-0000000000000a001"),
       "test.toml:8: instance i-0000000000000a001 is given to two nodes"},
      {"the same allocation twice", t + "\n[eips.web2]\nallocation_id = \"eipalloc-00000001\"\n",
       "test.toml:26: eipalloc-00000001 is managed twice"},
      {"a resource name used by a route and an Elastic IP",
       replaced(t, "[eips.web]", "[eips.vip]").replace(t.find("[eips.web.eni]"), 14, "[eips.vip.eni]"),
       "resource name 'vip' is used by a route and an Elastic IP"},
      {"a bad route_tables entry", replaced(t, "destination = \"10.1.0.10/32\"", "destination = \"10.1.0.10/32\"\nroute_tables = [\"rt-1\"]"),
       "test.toml:13: route_tables: expected route table ids (rtb-...)"},
      {"no nodes", "[routes.vip]\nvpc_id = \"vpc-1\"\n", "test.toml:1: no [nodes.NAME] tables"},
      {"one node only", "[nodes.a]\ninstance_id = \"i-1\"\n", "a cluster needs at least two nodes; found 1"},
      {"no resources", "[nodes.a]\ninstance_id = \"i-1\"\n[nodes.b]\ninstance_id = \"i-2\"\n",
       "test.toml:1: no resources: expected at least one [routes.NAME] or [eips.NAME]"},
      {"endpoint_url not a URL", replaced(t, "https://ec2.test", "ec2.local"),
       "test.toml:2: endpoint_url = \"ec2.local\": expected an http:// or https:// URL"},
      {"duplicate key (TOML)", replaced(t, "region = \"us-east-1\"", "region = \"us-east-1\"\nregion = \"x\""),
       "test.toml:2: "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto r = parse_config(c.text, "test.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kConfig);
    CAPTURE(r.error().message);
    if (c.expected.rfind("test.toml:", 0) == 0) {
      CHECK(r.error().message.rfind(c.expected, 0) == 0);
    } else {
      CHECK(r.error().message.rfind("test.toml:", 0) == 0);
      CHECK(r.error().message.find(c.expected) != std::string::npos);
    }
  }
}

TEST_CASE("an unreadable configuration file is a config error naming the file") {
  auto r = load_config("/nonexistent/ec2rk.toml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(r.error().message.rfind("/nonexistent/ec2rk.toml: cannot read", 0) == 0);
}

TEST_CASE("the config path is --config, then EC2RK_CONFIG, then /etc/ec2rk/ec2rk.toml") {
  ec2api::MapEnvironment env;
  CHECK(resolve_config_path("", env) == "/etc/ec2rk/ec2rk.toml");
  env.set("EC2RK_CONFIG", "/tmp/x.toml");
  CHECK(resolve_config_path("", env) == "/tmp/x.toml");
  CHECK(resolve_config_path("/a.toml", env) == "/a.toml");
}

TEST_CASE("resource selection keeps the named resources and rejects unknown names with a suggestion") {
  Config c = example_config();
  auto only_web = select_resources(c, {"web"});
  REQUIRE(only_web.ok());
  CHECK(only_web->routes.empty());
  CHECK(only_web->eips.size() == 1);
  auto all = select_resources(c, {});
  REQUIRE(all.ok());
  CHECK(all->resource_names().size() == 2);
  auto bad = select_resources(c, {"wbe"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::kUsage);
  CHECK(bad.error().message.find("(did you mean 'web'?)") != std::string::npos);
}

TEST_CASE("host routes are validated and canonicalised") {
  CHECK(canonical_host_route("10.1.0.10/32") == "10.1.0.10/32");
  CHECK_FALSE(canonical_host_route("10.1.0.10/31"));
  CHECK_FALSE(canonical_host_route("10.1.0.10/"));
  CHECK_FALSE(canonical_host_route("/32"));
  CHECK_FALSE(canonical_host_route("fe80::1/64"));
  CHECK(canonical_host_route("FE80:0::1/128") == "fe80::1/128");
  CHECK(valid_id("eni-0abc", "eni-"));
  CHECK_FALSE(valid_id("eni-", "eni-"));
  CHECK_FALSE(valid_id("eni-0ABC", "eni-"));
  CHECK_FALSE(valid_id("eni_0abc", "eni-"));
}

}  // namespace ec2rk::cli
