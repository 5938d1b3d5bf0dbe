#include "cli/assess.h"

#include <doctest/doctest.h>

#include <functional>

#include "cli/suggest.h"
#include "cli/terminal.h"
#include "cli/exit_codes.h"
#include "tests/cli/fixture.h"

namespace ec2rk::cli {
using namespace test;

namespace {
const ResourceStatus& resource(const Assessment& a, const std::string& name) {
  for (const auto& r : a.resources)
    if (r.name == name) return r;
  FAIL("no resource " << name);
  static ResourceStatus none;
  return none;
}
}  // namespace

TEST_CASE("check without an expected node is healthy when each resource is wholly on one node") {
  Assessment a = assess(example_config(), on_node1(), std::nullopt);
  CHECK(a.healthy());
  CHECK(resource(a, "vip").holder == "node1");
  CHECK(resource(a, "web").holder == "node1");
  // Preconditions are checked for the holder.
  CHECK(a.preconditions.size() == 4);
  for (const auto& p : a.preconditions) CHECK(p.node == "node1");
}

TEST_CASE("active/active: different resources on different nodes is healthy without --expect") {
  ObservedState s = on_node1();
  s.eips["web"] = address(kWebEni2);
  Assessment a = assess(example_config(), s, std::nullopt);
  CHECK(a.healthy());
  CHECK(resource(a, "web").holder == "node2");
  CHECK_FALSE(assess(example_config(), s, std::string("node1")).healthy());
}

TEST_CASE("a route split between the nodes is drift with no holder") {
  ObservedState s = on_node1();
  s.routes["vip"].tables[1] = table(kTableB, {vip_route(kVipEni2)});
  Assessment a = assess(example_config(), s, std::nullopt);
  CHECK_FALSE(a.healthy());
  CHECK(resource(a, "vip").holder.empty());
  CHECK(resource(a, "vip").problems.back() == "split between node1 and node2");
}

TEST_CASE("blackhole, foreign, missing and unassociated are each drift with a reason") {
  struct Case {
    const char* what;
    std::function<void(ObservedState&)> mutate;
    const char* resource;
    const char* problem;
  };
  const std::vector<Case> cases = {
      {"blackhole", [](ObservedState& s) { s.routes["vip"].tables[0] = table(kTableA, {vip_route(kVipEni1, "blackhole")}); },
       "vip", "rtb-0000000000000aaa: route is blackhole"},
      {"foreign", [](ObservedState& s) { s.routes["vip"].tables[0] = table(kTableA, {vip_route(kForeignEni)}); },
       "vip", "belongs to neither node"},
      {"node's other ENI", [](ObservedState& s) { s.routes["vip"].tables[0] = table(kTableA, {vip_route(kWebEni1)}); },
       "vip", "not node1's configured ENI"},
      {"no table", [](ObservedState& s) { s.routes["vip"].tables.clear(); }, "vip", "no route table in vpc-00000001"},
      {"listed table lacks the route", [](ObservedState& s) { s.routes["vip"].tables.push_back(table("rtb-0000000000000ccc", {})); },
       "vip", "rtb-0000000000000ccc: no route for 10.1.0.10/32"},
      {"unassociated", [](ObservedState& s) { s.eips["web"] = address(""); }, "web", "is not associated"},
      {"eip on a foreign ENI", [](ObservedState& s) { s.eips["web"] = address(kForeignEni); }, "web", "neither node"},
      {"eip missing", [](ObservedState& s) { s.eips["web"] = std::nullopt; }, "web", "not found"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    ObservedState s = on_node1();
    c.mutate(s);
    Assessment a = assess(example_config(), s, std::string("node1"));
    CHECK_FALSE(a.healthy());
    const auto& r = resource(a, c.resource);
    CHECK_FALSE(r.healthy);
    REQUIRE_FALSE(r.problems.empty());
    CAPTURE(r.problems.front());
    CHECK(r.problems.front().find(c.problem) != std::string::npos);
  }
}

TEST_CASE("preconditions: instance running, ENIs attached and in-use, source/dest check off on route ENIs") {
  ObservedState s = on_node1();
  s.instances[kNode1].state = "stopped";
  s.enis[kWebEni1].status = "available";
  s.enis[kVipEni1].source_dest_check = true;
  Assessment a = assess(example_config(), s, std::string("node1"));
  CHECK_FALSE(a.healthy());
  int failed = 0;
  for (const auto& p : a.preconditions) failed += !p.ok;
  CHECK(failed == 3);
  // The Elastic IP's ENI has source/dest check on in the fixture; it is not a route target.
  for (const auto& p : a.preconditions) CHECK_FALSE((p.subject == kWebEni1 && p.check == "source/dest check disabled"));
}

TEST_CASE("exit codes come from the error kind") {
  CHECK(exit_code_for(make_error(ErrorKind::kUsage, "")) == ExitCode::kUsage);
  CHECK(exit_code_for(make_error(ErrorKind::kConfig, "")) == ExitCode::kUsage);
  CHECK(exit_code_for(make_error(ErrorKind::kPrecondition, "")) == ExitCode::kRefused);
  for (ErrorKind k : {ErrorKind::kCredentials, ErrorKind::kNetwork, ErrorKind::kThrottled, ErrorKind::kService,
                      ErrorKind::kServer, ErrorKind::kParse, ErrorKind::kTimeout}) {
    CAPTURE(to_string(k));
    CHECK(exit_code_for(make_error(k, "")) == ExitCode::kFailed);  // never drift
  }
}

TEST_CASE("colour follows the terminal, NO_COLOR, CLICOLOR_FORCE and TERM=dumb") {
  ec2api::MapEnvironment env;
  CHECK(use_color(true, env));
  CHECK_FALSE(use_color(false, env));
  env.set("TERM", "dumb");
  CHECK_FALSE(use_color(true, env));
  env.set("CLICOLOR_FORCE", "1");
  CHECK(use_color(false, env));
  env.set("NO_COLOR", "1");
  CHECK_FALSE(use_color(true, env));
  CHECK(paint(false, Color::kRed, "x") == "x");
  CHECK(paint(true, Color::kRed, "x") == "\033[31mx\033[0m");
}

TEST_CASE("tables: aligned with a header on a terminal, tab-separated without one when piped") {
  Table t({"A", "LONGER"});
  t.add({"x", ""});
  t.add({"yyyy", "z"});
  CHECK(t.render(true, false) == "A     LONGER\nx     -\nyyyy  z\n");
  CHECK(t.render(false, false) == "x\t-\nyyyy\tz\n");
}

TEST_CASE("did you mean: close typos only") {
  const std::vector<std::string> words = {"list", "check", "switchover", "repair", "init", "api"};
  CHECK(closest("lsit", words) == "list");
  CHECK(closest("swichover", words) == "switchover");
  CHECK(closest("chek", words) == "check");
  CHECK(closest("frobnicate", words).empty());
  CHECK(did_you_mean("zzz", words).empty());
}

}  // namespace ec2rk::cli
