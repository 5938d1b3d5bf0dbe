#include "sim/config_writer.h"

#include <doctest/doctest.h>

#include "sim_test_util.h"

using namespace ec2rk::sim;

TEST_CASE("--write-config renders the example scenario exactly in the agreed format") {
  std::string expected = R"(# ec2rk configuration for ec2rk-sim scenario "example"
region = "us-east-1"
endpoint_url = "https://127.0.0.1:8443"

[nodes.node1]
instance_id = "i-0ec20000000000a11"

[nodes.node2]
instance_id = "i-0ec20000000000b12"

[routes.vip]
vpc_id = "vpc-0ec20000000000001"
destination = "10.1.0.10/32"

[routes.vip.eni]
node1 = "eni-0ec20000000000a11"   # node1 eth0
node2 = "eni-0ec20000000000b12"

[eips.eip]
allocation_id = "eipalloc-0ec20000000000001"

[eips.eip.eni]
node1 = "eni-0ec20000000001a11"   # eth1
node2 = "eni-0ec20000000001b12"

[eips.eip.private_ip]
node1 = "10.0.1.11"
node2 = "10.0.3.12"
)";
  CHECK(render_config(ec2rk::sim::testing::example(), "https://127.0.0.1:8443") == expected);
}

TEST_CASE("a scenario without an ec2rk section still gets region and endpoint") {
  auto sc = parse_scenario(R"({"name": "bare", "region": "eu-west-1"})");
  REQUIRE(sc.ok());
  CHECK(render_config(*sc, "http://127.0.0.1:1") ==
        "# ec2rk configuration for ec2rk-sim scenario \"bare\"\nregion = \"eu-west-1\"\n"
        "endpoint_url = \"http://127.0.0.1:1\"\n");
}
