#include "cli/planner.h"

#include <doctest/doctest.h>

#include "tests/cli/fixture.h"

namespace ec2rk::cli {
using namespace test;

namespace {

const Change& change_for(const Plan& p, const std::string& where) {
  for (const auto& c : p.changes)
    if (c.route_table_id == where || c.allocation_id == where || c.eni_id == where) return c;
  FAIL("no change for " << where);
  static Change none;
  return none;
}

bool has_refusal(const Plan& p, const std::string& text) {
  for (const auto& f : p.findings)
    if (f.severity == Severity::kRefusal && f.message.find(text) != std::string::npos) return true;
  return false;
}

bool has_warning(const Plan& p, const std::string& text) {
  for (const auto& f : p.findings)
    if (f.severity == Severity::kWarning && f.message.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("switchover to the other node replaces every route and moves the Elastic IP") {
  Plan p = make_plan(example_config(), on_node1(), "node2", {});
  CHECK_FALSE(p.refused());
  REQUIRE(p.changes.size() == 3);
  CHECK(change_for(p, kTableA).action == ChangeAction::kReplace);
  CHECK(change_for(p, kTableA).target_eni == kVipEni2);
  CHECK(change_for(p, kTableA).before.node == "node1");
  CHECK(change_for(p, kTableB).action == ChangeAction::kReplace);
  const Change& eip = change_for(p, "eipalloc-00000001");
  CHECK(eip.action == ChangeAction::kAssociate);
  CHECK(eip.target_eni == kWebEni2);
  CHECK(eip.before.node == "node1");
  CHECK(p.mutation_count() == 3);
}

TEST_CASE("switchover leaves a route that already points at the target alone") {
  ObservedState s = on_node1();
  s.routes["vip"].tables[0] = table(kTableA, {vip_route(kVipEni2)});
  Plan p = make_plan(example_config(), s, "node2", {});
  CHECK(change_for(p, kTableA).action == ChangeAction::kKeep);
  CHECK(change_for(p, kTableB).action == ChangeAction::kReplace);
  CHECK(p.mutation_count() == 2);
}

TEST_CASE("switchover to the node already holding everything changes nothing") {
  Plan p = make_plan(example_config(), on_node1(), "node1", {});
  CHECK_FALSE(p.refused());
  CHECK(p.mutation_count() == 0);
  for (const auto& c : p.changes) CHECK(c.action == ChangeAction::kKeep);
}

TEST_CASE("a blackhole route is replaced, whatever it pointed at") {
  for (const char* target : {kVipEni1, kForeignEni, kVipEni2}) {
    CAPTURE(target);
    ObservedState s = on_node1();
    s.routes["vip"].tables[0] = table(kTableA, {vip_route(target, "blackhole")});
    Plan p = make_plan(example_config(), s, "node2", {});
    CHECK_FALSE(p.refused());
    CHECK(change_for(p, kTableA).action == ChangeAction::kReplace);
  }
}

TEST_CASE("a route on an ENI of neither node is refused without --force and replaced with it") {
  ObservedState s = on_node1();
  s.routes["vip"].tables[1] = table(kTableB, {vip_route(kForeignEni)});
  Plan refused = make_plan(example_config(), s, "node2", {});
  CHECK(refused.refused());
  CHECK(change_for(refused, kTableB).action == ChangeAction::kRefuse);
  CHECK(change_for(refused, kTableB).reason.find(kForeignEni) != std::string::npos);

  Plan forced = make_plan(example_config(), s, "node2", {.force = true});
  CHECK_FALSE(forced.refused());
  CHECK(change_for(forced, kTableB).action == ChangeAction::kReplace);
}

TEST_CASE("a route on a gateway (not an ENI) counts as a target of neither node") {
  ObservedState s = on_node1();
  ec2api::Route r = vip_route("");
  r.gateway_id = "igw-00000001";
  s.routes["vip"].tables[1] = table(kTableB, {r});
  Plan p = make_plan(example_config(), s, "node2", {});
  CHECK(change_for(p, kTableB).action == ChangeAction::kRefuse);
  CHECK(change_for(p, kTableB).before.target == "igw-00000001");
}

TEST_CASE("a route on another ENI of a node's instance belongs to that node and is replaced") {
  ObservedState s = on_node1();
  s.routes["vip"].tables[0] = table(kTableA, {vip_route(kWebEni1)});  // node1's second ENI
  Plan p = make_plan(example_config(), s, "node2", {});
  CHECK(change_for(p, kTableA).action == ChangeAction::kReplace);
  CHECK(change_for(p, kTableA).before.node == "node1");
}

TEST_CASE("only the VIP destination's routes are touched") {
  ObservedState s = on_node1();
  ec2api::Route other = vip_route(kForeignEni);
  other.destination_cidr_block = "10.1.0.99/32";
  s.routes["vip"].tables[0] = table(kTableA, {other, vip_route(kVipEni1)});
  Plan p = make_plan(example_config(), s, "node2", {});
  CHECK_FALSE(p.refused());
  const Change& c = change_for(p, kTableA);
  CHECK(c.destination == "10.1.0.10/32");
  CHECK(c.before.target == kVipEni1);
  size_t route_changes = 0;
  for (const auto& ch : p.changes) route_changes += ch.kind == ChangeKind::kRoute;
  CHECK(route_changes == 2);
}

TEST_CASE("a listed table lacking the route is refused without --force and created with it") {
  std::string text = kConfigText;
  text.replace(text.find("destination = \"10.1.0.10/32\""), 28,
               "destination = \"10.1.0.10/32\"\nroute_tables = [\"rtb-0000000000000ccc\"]");
  Config cfg = example_config(text);
  ObservedState s = on_node1();
  s.routes["vip"].tables.push_back(table("rtb-0000000000000ccc", {}));
  Plan refused = make_plan(cfg, s, "node2", {});
  CHECK(refused.refused());
  CHECK(change_for(refused, "rtb-0000000000000ccc").action == ChangeAction::kRefuse);
  Plan forced = make_plan(cfg, s, "node2", {.force = true});
  CHECK_FALSE(forced.refused());
  CHECK(change_for(forced, "rtb-0000000000000ccc").action == ChangeAction::kCreate);
}

TEST_CASE("a route resource no table holds is a warning, not a change") {
  ObservedState s = on_node1();
  s.routes["vip"].tables.clear();
  Plan p = make_plan(example_config(), s, "node2", {});
  CHECK_FALSE(p.refused());
  CHECK(has_warning(p, "no route table"));
  CHECK(p.mutation_count() == 1);  // the Elastic IP
}

TEST_CASE("an Elastic IP already on the target ENI is kept; elsewhere on a node it is associated") {
  ObservedState s = on_node1();
  s.eips["web"] = address(kWebEni2);
  CHECK(change_for(make_plan(example_config(), s, "node2", {}), "eipalloc-00000001").action ==
        ChangeAction::kKeep);
  s.eips["web"] = address("");  // unassociated
  const Plan p = make_plan(example_config(), s, "node2", {});
  CHECK(change_for(p, "eipalloc-00000001").action == ChangeAction::kAssociate);
  CHECK(change_for(p, "eipalloc-00000001").reason == "not associated");
}

TEST_CASE("an Elastic IP on the right ENI but another private IP is re-associated when a private IP is configured") {
  std::string text = std::string(kConfigText) + "\n[eips.web.private_ip]\nnode2 = \"10.0.4.12\"\n";
  Config cfg = example_config(text);
  ObservedState s = on_node1();
  s.eips["web"] = address(kWebEni2, "10.0.4.99");
  const Plan p = make_plan(cfg, s, "node2", {});
  const Change& c = change_for(p, "eipalloc-00000001");
  CHECK(c.action == ChangeAction::kAssociate);
  CHECK(c.target_private_ip == "10.0.4.12");
  s.eips["web"] = address(kWebEni2, "10.0.4.12");
  CHECK(change_for(make_plan(cfg, s, "node2", {}), "eipalloc-00000001").action == ChangeAction::kKeep);
}

TEST_CASE("an Elastic IP on an ENI of neither node is refused without --force") {
  ObservedState s = on_node1();
  s.eips["web"] = address(kForeignEni);
  CHECK(make_plan(example_config(), s, "node2", {}).refused());
  CHECK(change_for(make_plan(example_config(), s, "node2", {.force = true}), "eipalloc-00000001").action ==
        ChangeAction::kAssociate);
}

TEST_CASE("pre-flight refuses a target instance that is not running") {
  for (const std::string state : {"stopped", "stopping", "pending", "terminated"}) {
    CAPTURE(state);
    ObservedState s = on_node1();
    s.instances[kNode2].state = state;
    Plan p = make_plan(example_config(), s, "node2", {});
    CHECK(p.refused());
    CHECK(has_refusal(p, "not running"));
    // --force turns the refusal into a warning.
    Plan forced = make_plan(example_config(), s, "node2", {.force = true});
    CHECK_FALSE(forced.refused());
    CHECK(has_warning(forced, "not running"));
  }
}

TEST_CASE("pre-flight refuses a missing instance, a detached ENI, and an ENI on the wrong instance") {
  {
    ObservedState s = on_node1();
    s.instances.erase(kNode2);
    CHECK(has_refusal(make_plan(example_config(), s, "node2", {}), "instance not found"));
  }
  {
    ObservedState s = on_node1();
    s.enis[kVipEni2].attachment.reset();
    s.enis[kVipEni2].status = "available";
    CHECK(has_refusal(make_plan(example_config(), s, "node2", {}), "not attached"));
  }
  {
    ObservedState s = on_node1();
    s.enis[kWebEni2].attachment->instance_id = kNode1;
    CHECK(has_refusal(make_plan(example_config(), s, "node2", {}), "attached to " + std::string(kNode1)));
  }
  {
    ObservedState s = on_node1();
    s.enis[kVipEni2].attachment->status = "attaching";
    CHECK(has_refusal(make_plan(example_config(), s, "node2", {}), "attachment attaching"));
  }
  {
    ObservedState s = on_node1();
    s.enis.erase(kVipEni2);
    CHECK(has_refusal(make_plan(example_config(), s, "node2", {}), "not found"));
  }
}

TEST_CASE("source/dest check enabled on the target route ENI is a warning; repair can fix it") {
  ObservedState s = on_node1();
  s.enis[kVipEni2].source_dest_check = true;
  Plan p = make_plan(example_config(), s, "node2", {});
  CHECK_FALSE(p.refused());
  CHECK(has_warning(p, "source/destination check"));

  Plan fix = make_plan(example_config(), s, "node2", {.fix_source_dest_check = true});
  CHECK_FALSE(has_warning(fix, "source/destination check"));
  CHECK(change_for(fix, kVipEni2).action == ChangeAction::kFixSourceDestCheck);
  // Elastic IP ENIs are not route targets: their check does not matter.
  for (const auto& c : fix.changes) CHECK(c.eni_id != kWebEni2);
}

TEST_CASE("every route table of the resource gets exactly one decision, in table order") {
  ObservedState s = on_node1();
  for (int i = 0; i < 20; ++i) {
    char id[32];
    snprintf(id, sizeof id, "rtb-%016d", i);
    s.routes["vip"].tables.push_back(table(id, {vip_route(i % 2 ? kVipEni1 : kVipEni2)}));
  }
  Plan p = make_plan(example_config(), s, "node2", {});
  size_t keep = 0, replace = 0;
  for (const auto& c : p.changes) {
    if (c.kind != ChangeKind::kRoute) continue;
    keep += c.action == ChangeAction::kKeep;
    replace += c.action == ChangeAction::kReplace;
  }
  CHECK(keep == 10);
  CHECK(replace == 12);
}

}  // namespace ec2rk::cli
