// Commands end to end with fakes: argv -> exact stdout / stderr / exit code.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "tests/cli/harness.h"

namespace ec2rk::cli {
using namespace test;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

// ---- usage, help, config errors: nothing sent -------------------------------

TEST_CASE("--help on every command prints its help, exits 0 and touches no credentials") {
  for (const Command& c : commands()) {
    for (const std::string flag : {"--help", "-h"}) {
      CAPTURE(c.name);
      CAPTURE(flag);
      Harness h;
      CHECK(h.run({std::string(c.name), flag}) == 0);
      CHECK(contains(h.out.str(), std::string(c.name)));
      CHECK(h.sessions.empty());
      CHECK(h.transport->requests().empty());
    }
  }
  Harness h;
  CHECK(h.run({"--help"}) == 0);
  for (const Command& c : commands()) CHECK(contains(h.out.str(), std::string(c.name)));
  CHECK(h.sessions.empty());
}

TEST_CASE("an unknown command suggests the closest one and exits 2") {
  Harness h;
  CHECK(h.run({"--output", "json", "lsit"}) == 2);
  CHECK(h.err.str() ==
        "ec2rk: error: unknown command 'lsit' (did you mean 'list'?)\nRun 'ec2rk --help' for the list of "
        "commands.\n");
  CHECK(h.out.str().empty());
  CHECK(h.sessions.empty());
}

TEST_CASE("a configuration mistake exits 2 with file:line before any session or request") {
  for (const std::string_view cmd : {"list", "check", "switchover", "repair"}) {
    CAPTURE(cmd);
    Harness h("bogus = 1\n" + std::string(kConfigText));
    std::vector<std::string> argv = {std::string(cmd)};
    if (cmd == "switchover") argv = {std::string(cmd), "--to", "node2", "--yes"};
    if (cmd == "repair") argv = {std::string(cmd), "--node", "node2", "--yes"};
    CHECK(h.run(argv) == 2);
    CHECK(h.err.str() == "ec2rk: error: " + h.config_path +
                             ":1: unknown key 'bogus' in the top level; expected one of: region, profile, "
                             "endpoint_url, nodes, routes, eips\n");
    CHECK(h.out.str().empty());
    CHECK(h.sessions.empty());
    CHECK(h.transport->requests().empty());
  }
}

TEST_CASE("a missing configuration file exits 2 and says how to make one") {
  Harness h;
  CHECK(h.run({"list", "--config", h.dir + "/nope.toml"}) == 2);
  CHECK(contains(h.err.str(), "nope.toml: cannot read the configuration file (create it with 'ec2rk init'"));
  CHECK(h.sessions.empty());
}

TEST_CASE("unknown resources and nodes are usage errors with suggestions, nothing sent") {
  Harness h;
  CHECK(h.run({"list", "wbe"}) == 2);
  CHECK(contains(h.err.str(), "no resource named 'wbe'"));
  CHECK(contains(h.err.str(), "(did you mean 'web'?)"));
  Harness h2;
  CHECK(h2.run({"switchover", "--to", "node3", "--yes"}) == 2);
  CHECK(contains(h2.err.str(), "--to node3: no such node"));
  CHECK(contains(h2.err.str(), "(did you mean 'node1'?)"));
  Harness h3;
  CHECK(h3.run({"check", "--expect", "nod2"}) == 2);
  CHECK(contains(h3.err.str(), "(did you mean 'node2'?)"));
  CHECK(h.sessions.empty());
  CHECK(h2.sessions.empty());
  CHECK(h3.sessions.empty());
}

TEST_CASE("switchover without --to, and repair without a node, are usage errors") {
  Harness h;
  CHECK(h.run({"switchover", "--yes"}) == 2);
  Harness h2;
  CHECK(h2.run({"repair", "--yes"}) == 2);
  CHECK(contains(h2.err.str(), "repair needs --node NODE or --local"));
  CHECK(h.sessions.empty());
  CHECK(h2.sessions.empty());
}

TEST_CASE("global flags work before and after the subcommand") {
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {"--output", "json", "--region", "eu-west-1", "list"},
           {"list", "--output", "json", "--region", "eu-west-1"},
           {"list", "--region=eu-west-1", "--output=json"}}) {
    CAPTURE(argv.front());
    Harness h;
    h.stub_observe(on_node1());
    CHECK(h.run(argv) == 0);
    REQUIRE(h.sessions.size() == 1);
    CHECK(h.sessions[0].region == "eu-west-1");
    CHECK(nlohmann::json::parse(h.out.str()).contains("routes"));
  }
}

TEST_CASE("the config file's region and endpoint feed the session unless flags override them") {
  Harness h;
  h.stub_observe(on_node1());
  CHECK(h.run({"list"}) == 0);
  REQUIRE(h.sessions.size() == 1);
  CHECK(h.sessions[0].region == "us-east-1");
  CHECK(h.sessions[0].endpoint_url == "https://ec2.test");
  Harness h2;
  h2.stub_observe(on_node1());
  CHECK(h2.run({"list", "--endpoint-url", "https://other.test"}) == 0);
  CHECK(h2.sessions[0].endpoint_url == "https://other.test");
}

// ---- list ---------------------------------------------------------------------

TEST_CASE("list piped prints tab-separated rows prefixed with their record type") {
  Harness h;
  h.stub_observe(on_node1());
  CHECK(h.run({"list"}) == 0);
  CHECK(h.out.str() ==
        "route\tvip\t10.1.0.10/32\trtb-0000000000000aaa\tprivate-a\tsubnet-0000000a\teni-000000000000a0a1\tactive\tnode1\n"
        "route\tvip\t10.1.0.10/32\trtb-0000000000000bbb\tprivate-b\tsubnet-0000000b\teni-000000000000a0a1\tactive\tnode1\n"
        "eip\tweb\t203.0.113.10\teipalloc-00000001\teni-000000000000a1a1\t10.0.2.11\tnode1\n");
  CHECK(h.err.str().empty());
  // One parallel round of four reads.
  CHECK(h.transport->batch_sizes == std::vector<size_t>{4});
  auto rt = h.transport->requests_for("DescribeRouteTables");
  REQUIRE(rt.size() == 1);
  CHECK(testing::form_param(rt[0], "Filter.1.Name") == "vpc-id");
  CHECK(testing::form_param(rt[0], "Filter.1.Value.1") == "vpc-00000001");
  CHECK(testing::form_param(rt[0], "Filter.2.Name") == "route.destination-cidr-block");
  CHECK(testing::form_param(rt[0], "Filter.2.Value.1") == "10.1.0.10/32");
}

TEST_CASE("list on a terminal prints aligned tables with headers") {
  Harness h;
  h.app.io.out_tty = true;
  h.stub_observe(on_node1());
  CHECK(h.run({"list"}) == 0);
  CHECK(h.out.str() ==
        "ROUTE  DESTINATION   TABLE                 NAME       ASSOCIATIONS     TARGET                STATE   NODE\n"
        "vip    10.1.0.10/32  rtb-0000000000000aaa  private-a  subnet-0000000a  eni-000000000000a0a1  active  node1\n"
        "vip    10.1.0.10/32  rtb-0000000000000bbb  private-b  subnet-0000000b  eni-000000000000a0a1  active  node1\n"
        "\n"
        "ELASTIC IP  PUBLIC IP     ALLOCATION         ENI                   PRIVATE IP  NODE\n"
        "web         203.0.113.10  eipalloc-00000001  eni-000000000000a1a1  10.0.2.11   node1\n");
}

TEST_CASE("list follows NextToken for route tables that paged") {
  Harness h;
  ObservedState s = on_node1();
  h.transport->on("DescribeRouteTables", 200, route_tables_xml({s.routes["vip"].tables[0]}, "r1", "page2"));
  h.transport->on("DescribeRouteTables", 200, route_tables_xml({s.routes["vip"].tables[1]}, "r2"),
                  {}, [](const ec2api::HttpRequest& r) {
                    CHECK(testing::form_param(r, "NextToken") == "page2");
                  });
  h.transport->on("DescribeAddresses", 200, addresses_xml({*s.eips["web"]}));
  h.transport->on("DescribeNetworkInterfaces", 200, enis_xml({s.enis[kVipEni1]}));
  h.transport->on("DescribeInstances", 200, instances_xml({s.instances[kNode1]}));
  CHECK(h.run({"--output", "json", "list"}) == 0);
  auto j = nlohmann::json::parse(h.out.str());
  CHECK(j["routes"][0]["tables"].size() == 2);
}

TEST_CASE("list --output json has the documented keys") {
  Harness h;
  h.stub_observe(on_node1());
  CHECK(h.run({"list", "--output", "json"}) == 0);
  auto j = nlohmann::json::parse(h.out.str());
  const auto& t = j["routes"][0]["tables"][0];
  CHECK(j["routes"][0]["name"] == "vip");
  CHECK(j["routes"][0]["vpc_id"] == "vpc-00000001");
  CHECK(j["routes"][0]["destination"] == "10.1.0.10/32");
  CHECK(t["route_table_id"] == kTableA);
  CHECK(t["name"] == "private-a");
  CHECK(t["associations"] == nlohmann::json::array({"subnet-0000000a"}));
  CHECK(t["target"] == kVipEni1);
  CHECK(t["state"] == "active");
  CHECK(t["node"] == "node1");
  const auto& e = j["eips"][0];
  CHECK(e["name"] == "web");
  CHECK(e["public_ip"] == "203.0.113.10");
  CHECK(e["allocation_id"] == "eipalloc-00000001");
  CHECK(e["association_id"] == "eipassoc-0000001");
  CHECK(e["network_interface_id"] == kWebEni1);
  CHECK(e["private_ip"] == "10.0.2.11");
  CHECK(e["node"] == "node1");
}

// ---- check ----------------------------------------------------------------------

TEST_CASE("check is healthy (exit 0) when everything is on one node and says which") {
  Harness h;
  h.app.io.out_tty = true;
  h.stub_observe(on_node1());
  CHECK(h.run({"check"}) == 0);
  CHECK(contains(h.out.str(), "healthy: every resource is on node1"));
}

TEST_CASE("check --expect the other node is drift, exit 3") {
  Harness h;
  h.stub_observe(on_node1());
  CHECK(h.run({"check", "--expect", "node2", "--output", "json"}) == 3);
  auto j = nlohmann::json::parse(h.out.str());
  CHECK(j["status"] == "drift");
  CHECK(j["expected_node"] == "node2");
  CHECK(j["resources"][0]["holder"] == "node1");
  CHECK(j["resources"][0]["healthy"] == false);
  CHECK(j["resources"][0]["problems"][0] == "held by node1, expected node2");
}

TEST_CASE("check reports an unmet precondition as drift, exit 3") {
  Harness h;
  ObservedState s = on_node1();
  s.enis[kVipEni1].source_dest_check = true;
  h.stub_observe(s);
  CHECK(h.run({"check", "--expect", "node1"}) == 3);
  CHECK(contains(h.out.str(), "precondition\tnode1\tsource/dest check disabled\teni-000000000000a0a1\tfailed\tenabled\n"));
}

TEST_CASE("check --local finds this node through instance metadata") {
  Harness h;
  h.imds->instance_id = kNode2;
  h.stub_observe(on_node1());
  CHECK(h.run({"check", "--local"}) == 3);  // everything is on node1
  Harness h2;
  h2.imds->instance_id = kNode1;
  h2.stub_observe(on_node1());
  CHECK(h2.run({"check", "--local"}) == 0);
  Harness h3;  // IMDS unreachable: could not tell
  CHECK(h3.run({"check", "--local"}) == 1);
  CHECK(contains(h3.err.str(), "--local: cannot read this instance's id"));
}

TEST_CASE("a failed API call during check is exit 1, never drift") {
  Harness h;
  h.transport->on("DescribeRouteTables", 403, error_xml("UnauthorizedOperation", "You are not authorized", "req-403"));
  h.transport->on("DescribeAddresses", 200, addresses_xml({address(kWebEni1)}));
  h.transport->on("DescribeNetworkInterfaces", 200, enis_xml({}));
  h.transport->on("DescribeInstances", 200, instances_xml({}));
  CHECK(h.run({"check"}) == 1);
  CHECK(h.err.str() == "ec2rk: error: You are not authorized (UnauthorizedOperation, request id req-403)\n");
  CHECK(h.out.str().empty());
}

TEST_CASE("check --permissions lists denied calls and exits 3; allowed is 0; other errors 1") {
  auto stub_probes = [](Harness& h, int n, const std::string& code, int status) {
    for (int i = 0; i < n; ++i) {
      std::string action = i < 4 ? "ReplaceRoute" : "AssociateAddress";
      h.transport->on(action, status, error_xml(code, "probe"), {}, [](const ec2api::HttpRequest& r) {
        CHECK(testing::form_param(r, "DryRun") == "true");
      });
    }
  };
  {
    Harness h;
    h.stub_observe(on_node1());
    stub_probes(h, 6, "DryRunOperation", 412);
    CHECK(h.run({"check", "--permissions"}) == 0);
  }
  {
    Harness h;
    h.stub_observe(on_node1());
    stub_probes(h, 6, "UnauthorizedOperation", 403);
    CHECK(h.run({"check", "--permissions"}) == 3);
    CHECK(contains(h.out.str(), "permission\tReplaceRoute\tvip\trtb-0000000000000aaa\teni-000000000000a0a1\tnode1\tdenied\n"));
  }
  {
    Harness h;
    h.stub_observe(on_node1());
    stub_probes(h, 6, "InvalidParameterValue", 400);
    CHECK(h.run({"check", "--permissions"}) == 1);
  }
}

// ---- switchover ----------------------------------------------------------------------

TEST_CASE("switchover --yes replaces both routes and moves the Elastic IP in one round, then verifies") {
  Harness h;
  h.stub_observe(on_node1());
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"), {}, [](const ec2api::HttpRequest& r) {
    CHECK(testing::form_param(r, "NetworkInterfaceId") == kVipEni2);
    CHECK(testing::form_param(r, "DestinationCidrBlock") == "10.1.0.10/32");
  });
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-b"));
  h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"), {},
                  [](const ec2api::HttpRequest& r) {
                    CHECK(testing::form_param(r, "AllowReassociation") == "true");
                    CHECK(testing::form_param(r, "NetworkInterfaceId") == kWebEni2);
                    CHECK(testing::form_param(r, "AllocationId") == "eipalloc-00000001");
                  });
  h.stub_reads(on_node2());
  CHECK(h.run({"switchover", "--to", "node2", "--yes"}) == 0);
  CHECK(h.transport->batch_sizes == std::vector<size_t>{4, 3, 2});
  CHECK(h.transport->requests_for("DisassociateAddress").empty());
  CHECK(h.out.str() ==
        "change\tvip\trtb-0000000000000aaa (private-a)\teni-000000000000a0a1 (node1)\teni-000000000000b0b2 (node2)\tchanged\t0 ms\treq-a\n"
        "change\tvip\trtb-0000000000000bbb (private-b)\teni-000000000000a0a1 (node1)\teni-000000000000b0b2 (node2)\tchanged\t0 ms\treq-b\n"
        "change\tweb\t203.0.113.10\teni-000000000000a1a1 (node1, 10.0.2.11)\teni-000000000000b1b2 (node2, 10.0.4.12)\tchanged\t0 ms\treq-e\n");
  CHECK(h.err.str() == "ec2rk: replacing 2 routes, moving 1 Elastic IP on node2...\nec2rk: verifying...\n");
  REQUIRE(h.syslog.size() == 3);
  CHECK(h.syslog[0] ==
        "switchover vip rtb-0000000000000aaa 10.1.0.10/32: eni-000000000000a0a1 -> eni-000000000000b0b2 "
        "request-id=req-a outcome=ok");
  CHECK(h.syslog[2] ==
        "switchover web eipalloc-00000001 203.0.113.10: eni-000000000000a1a1 -> eni-000000000000b1b2 "
        "association-id=eipassoc-new request-id=req-e outcome=ok");
}

TEST_CASE("switchover again when everything is already there changes nothing and succeeds") {
  Harness h;
  h.stub_observe(on_node2());
  CHECK(h.run({"switchover", "--to", "node2"}) == 0);  // no --yes needed: nothing to change
  CHECK(h.mutations() == 0);
  CHECK(h.syslog.empty());
  CHECK(contains(h.out.str(), "\tunchanged\t"));
}

TEST_CASE("switchover refuses without --yes when stdin is not a terminal, exit 4, nothing sent") {
  Harness h;
  h.stub_observe(on_node1());
  CHECK(h.run({"switchover", "--to", "node2"}) == 4);
  CHECK(h.mutations() == 0);
  CHECK(h.err.str() ==
        "ec2rk: error: refusing to change anything without --yes when stdin is not a terminal; nothing changed\n");
  CHECK(contains(h.out.str(), "plan\tvip\trtb-0000000000000aaa (private-a)"));
}

TEST_CASE("with --output json a refusal is still one JSON document on stdout") {
  Harness h;
  h.stub_observe(on_node1());
  CHECK(h.run({"switchover", "--to", "node2", "--output", "json"}) == 4);
  auto j = nlohmann::json::parse(h.out.str());
  CHECK(j["status"] == "refused");
  CHECK(j["changes"][0]["action"] == "replace");
  CHECK(j["changes"][0]["outcome"] == "planned");
  CHECK(h.mutations() == 0);
}

TEST_CASE("switchover on a terminal shows the plan and asks; 'y' goes ahead, anything else aborts") {
  {
    Harness h;
    h.app.io.in_tty = true;
    h.stub_observe(on_node1());
    CHECK(h.run({"switchover", "--to", "node2"}, "n\n") == 4);
    CHECK(h.mutations() == 0);
    CHECK(contains(h.err.str(), "Apply 3 changes to move to node2? [y/N] "));
    CHECK(contains(h.err.str(), "ec2rk: error: switchover aborted; nothing changed\n"));
  }
  {
    Harness h;
    h.app.io.in_tty = true;
    h.stub_observe(on_node1());
    h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"));
    h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-b"));
    h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"));
    h.stub_reads(on_node2());
    CHECK(h.run({"switchover", "--to", "node2"}, "yes\n") == 0);
    CHECK(h.mutations() == 3);
  }
  {
    Harness h;  // end of input = no
    h.app.io.in_tty = true;
    h.stub_observe(on_node1());
    CHECK(h.run({"switchover", "--to", "node2"}, "") == 4);
    CHECK(h.mutations() == 0);
  }
}

TEST_CASE("switchover refuses a route on an ENI of neither node (exit 4, nothing sent) unless --force") {
  ObservedState s = on_node1();
  s.routes["vip"].tables[1] = table(kTableB, {vip_route(kForeignEni)}, "subnet-0000000b");
  {
    Harness h;
    h.stub_observe(s);
    CHECK(h.run({"switchover", "--to", "node2", "--yes"}) == 4);
    CHECK(h.mutations() == 0);
    CHECK(contains(h.err.str(), "ec2rk: error: switchover to node2 refused, nothing changed: vip rtb-0000000000000bbb: on eni-00000000000ff0ff, a target of neither node; --force overwrites it"));
  }
  {
    Harness h;
    h.stub_observe(s);
    h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"));
    h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-b"));
    h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"));
    h.stub_reads(on_node2());
    CHECK(h.run({"switchover", "--to", "node2", "--yes", "--force"}) == 0);
    CHECK(h.mutations() == 3);
  }
}

TEST_CASE("a change that fails with a 4xx is final: the others finish, exit 5, the report names it") {
  Harness h;
  h.stub_observe(on_node1());
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"));
  h.transport->on("ReplaceRoute", 403, error_xml("UnauthorizedOperation", "not allowed", "req-denied"));
  h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"));
  ObservedState after = on_node2();
  after.routes["vip"].tables[1] = on_node1().routes["vip"].tables[1];
  h.stub_reads(after);  // verify: two visible
  h.stub_observe(after);  // the final read for the report
  CHECK(h.run({"switchover", "--to", "node2", "--yes", "--output", "json"}) == 5);
  CHECK(h.transport->requests_for("ReplaceRoute").size() == 2);  // not retried
  auto j = nlohmann::json::parse(h.out.str());
  CHECK(j["status"] == "incomplete");
  CHECK(j["changes"][0]["outcome"] == "changed");
  CHECK(j["changes"][1]["outcome"] == "failed");
  CHECK(j["changes"][1]["error"]["code"] == "UnauthorizedOperation");
  CHECK(j["changes"][1]["after"]["node"] == "node1");
  CHECK(j["changes"][2]["outcome"] == "changed");
  CHECK(contains(h.err.str(), "ec2rk: error: switchover to node2 incomplete after"));
  CHECK(contains(h.err.str(), "vip rtb-0000000000000bbb: not allowed (UnauthorizedOperation, request id req-denied)"));
  CHECK(contains(h.syslog[1], "outcome=failed (UnauthorizedOperation)"));
}

TEST_CASE("a throttled change is retried until it succeeds, without re-sending the others") {
  Harness h;
  h.stub_observe(on_node1());
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"));
  for (int i = 0; i < 3; ++i)  // the client's own attempts
    h.transport->on("ReplaceRoute", 503, error_xml("RequestLimitExceeded", "slow down"));
  h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"));
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-b2"));
  h.stub_reads(on_node2());
  CHECK(h.run({"switchover", "--to", "node2", "--yes"}) == 0);
  CHECK(h.transport->requests_for("AssociateAddress").size() == 1);
  CHECK(contains(h.out.str(), "req-b2"));
}

TEST_CASE("a stale read is polled again, never answered by re-sending the change") {
  Harness h;
  h.stub_observe(on_node1());
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"));
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-b"));
  h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"));
  h.stub_reads(on_node1());  // stale
  h.stub_reads(on_node1());  // still stale
  h.stub_reads(on_node2());
  CHECK(h.run({"switchover", "--to", "node2", "--yes"}) == 0);
  CHECK(h.mutations() == 3);
  REQUIRE(h.clock.sleeps.size() == 2);
  CHECK(h.clock.sleeps[0] < h.clock.sleeps[1]);  // backoff grows
}

TEST_CASE("a change never visible before the deadline is reported unverified, exit 5") {
  Harness h;
  h.stub_observe(on_node1());
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"));
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-b"));
  h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"));
  // --timeout 1: 150 + 255 + 433 ms of polling fit, the fourth wait does not.
  for (int i = 0; i < 4; ++i) h.stub_reads(on_node1());
  h.stub_observe(on_node1());  // the final read
  CHECK(h.run({"switchover", "--to", "node2", "--yes", "--timeout", "1"}) == 5);
  CHECK(h.mutations() == 3);
  CHECK(contains(h.out.str(), "\tunverified\t"));
  CHECK(contains(h.err.str(), "not visible before the deadline"));
}

TEST_CASE("switchover --dry-run shows the plan, probes with DryRun and changes nothing") {
  Harness h;
  h.stub_observe(on_node1());
  for (const char* action : {"ReplaceRoute", "ReplaceRoute", "AssociateAddress"}) {
    h.transport->on(action, 412, error_xml("DryRunOperation", "Request would have succeeded"), {},
                    [](const ec2api::HttpRequest& r) { CHECK(testing::form_param(r, "DryRun") == "true"); });
  }
  CHECK(h.run({"switchover", "--to", "node2", "--dry-run"}) == 0);
  CHECK(contains(h.out.str(), "plan\tvip\trtb-0000000000000aaa (private-a)\teni-000000000000a0a1 (node1)\treplace\t"));
  CHECK(contains(h.out.str(), "permission\tAssociateAddress\tweb\teipalloc-00000001\teni-000000000000b1b2\tnode2\tallowed\n"));
  CHECK(h.syslog.empty());
  CHECK(contains(h.err.str(), "dry run: nothing changed"));
}

TEST_CASE("switchover --output json is one document with the documented keys") {
  Harness h;
  h.stub_observe(on_node1());
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-a"));
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-b"));
  h.transport->on("AssociateAddress", 200, associate_xml("req-e", "eipassoc-new"));
  h.stub_reads(on_node2());
  CHECK(h.run({"switchover", "--to", "node2", "--yes", "--output", "json"}) == 0);
  auto j = nlohmann::json::parse(h.out.str());
  for (const char* k : {"command", "target_node", "dry_run", "status", "elapsed_ms", "changes", "findings", "permissions"})
    CHECK_MESSAGE(j.contains(k), k);
  CHECK(j["status"] == "ok");
  const auto& c = j["changes"][0];
  for (const char* k : {"resource", "kind", "route_table_id", "table_name", "destination", "allocation_id", "public_ip",
                        "action", "reason", "target_network_interface_id", "before", "after", "outcome", "time_ms",
                        "request_id", "association_id", "error"})
    CHECK_MESSAGE(c.contains(k), k);
  CHECK(c["before"]["target"] == kVipEni1);
  CHECK(c["after"]["target"] == kVipEni2);
  CHECK(j["changes"][2]["association_id"] == "eipassoc-new");
}

TEST_CASE("switchover refuses when the target instance is stopped, exit 4, nothing sent") {
  Harness h;
  ObservedState s = on_node1();
  s.instances[kNode2].state = "stopped";
  h.stub_observe(s);
  CHECK(h.run({"switchover", "--to", "node2", "--yes"}) == 4);
  CHECK(h.mutations() == 0);
  CHECK(contains(h.err.str(), "instance is stopped, not running"));
}

// ---- repair ---------------------------------------------------------------------------

TEST_CASE("repair re-asserts the node's claim on drifted routes only and can fix source/dest check") {
  Harness h;
  ObservedState s = on_node1();
  s.routes["vip"].tables[1] = table(kTableB, {vip_route(kVipEni2)}, "subnet-0000000b");  // drifted
  s.enis[kVipEni1].source_dest_check = true;
  h.stub_observe(s);
  h.transport->on("ReplaceRoute", 200, return_xml("ReplaceRoute", "req-r"), {}, [](const ec2api::HttpRequest& r) {
    CHECK(testing::form_param(r, "RouteTableId") == kTableB);
  });
  h.transport->on("ModifyNetworkInterfaceAttribute", 200, return_xml("ModifyNetworkInterfaceAttribute", "req-m"), {},
                  [](const ec2api::HttpRequest& r) {
                    CHECK(testing::form_param(r, "SourceDestCheck.Value") == "false");
                  });
  ObservedState fixed = on_node1();
  h.stub_observe(fixed);  // verify reads ENIs too (source/dest check)
  CHECK(h.run({"repair", "--node", "node1", "--fix-source-dest-check", "--yes"}) == 0);
  CHECK(h.transport->requests_for("AssociateAddress").empty());
  REQUIRE(h.syslog.size() == 2);
  CHECK(h.syslog[0].rfind("repair vip rtb-0000000000000bbb", 0) == 0);
}

TEST_CASE("repair --local takes the node from instance metadata") {
  Harness h;
  h.imds->instance_id = kNode1;
  h.stub_observe(on_node1());
  CHECK(h.run({"repair", "--local", "--yes"}) == 0);
  CHECK(h.mutations() == 0);
}

}  // namespace ec2rk::cli
