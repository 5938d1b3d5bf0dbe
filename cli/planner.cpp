#include "cli/planner.h"

#include <set>

namespace ec2rk::cli {

std::string_view to_string(ChangeAction a) {
  switch (a) {
    case ChangeAction::kKeep: return "keep";
    case ChangeAction::kReplace: return "replace";
    case ChangeAction::kCreate: return "create";
    case ChangeAction::kAssociate: return "associate";
    case ChangeAction::kRefuse: return "refuse";
    case ChangeAction::kFixSourceDestCheck: return "disable-source-dest-check";
  }
  return "?";
}

bool Plan::refused() const {
  for (const auto& c : changes)
    if (c.action == ChangeAction::kRefuse) return true;
  for (const auto& f : findings)
    if (f.severity == Severity::kRefusal) return true;
  return false;
}

size_t Plan::mutation_count() const {
  size_t n = 0;
  for (const auto& c : changes) n += c.mutates() ? 1 : 0;
  return n;
}

namespace {

Change plan_route(const Config& config, const ObservedState& state, const RouteResource& r,
                  const ec2api::RouteTable& table, const std::string& target_node,
                  const PlanOptions& o) {
  Change c;
  c.kind = ChangeKind::kRoute;
  c.resource = r.name;
  c.route_table_id = table.route_table_id;
  c.table_name = ec2api::tag_value(table.tags, "Name");
  c.destination = r.destination;
  c.ipv6 = r.ipv6;
  c.target_eni = r.eni.at(target_node);

  const ec2api::Route* route = find_route(table, r);
  if (route == nullptr) {
    if (o.force) {
      c.action = ChangeAction::kCreate;
      c.reason = "route missing; creating it (--force)";
    } else {
      c.action = ChangeAction::kRefuse;
      c.reason = "route missing from a listed table; --force creates it";
    }
    return c;
  }
  c.before.target = route_target(*route);
  c.before.state = route->state;
  c.before.node = node_of_route(config, state, r, *route).value_or("");

  const bool on_target = route->network_interface_id == c.target_eni;
  const bool active = route->state == "active";
  if (on_target && active) {
    c.action = ChangeAction::kKeep;
    c.reason = "already on " + target_node;
  } else if (on_target) {
    c.action = ChangeAction::kReplace;
    c.reason = "on " + target_node + " but " + (route->state.empty() ? "not active" : route->state);
  } else if (route->state == "blackhole") {
    c.action = ChangeAction::kReplace;
    c.reason = "blackhole";
  } else if (!c.before.node.empty()) {
    c.action = ChangeAction::kReplace;
    c.reason = "on " + c.before.node;
  } else if (o.force) {
    c.action = ChangeAction::kReplace;
    c.reason = "on " + c.before.target + ", a target of neither node (--force)";
  } else {
    c.action = ChangeAction::kRefuse;
    c.reason = "on " + (c.before.target.empty() ? std::string("no target") : c.before.target) +
               ", a target of neither node; --force overwrites it";
  }
  return c;
}

Change plan_eip(const Config& config, const ObservedState& state, const EipResource& e,
                const std::optional<ec2api::Address>& address, const std::string& target_node,
                const PlanOptions& o) {
  Change c;
  c.kind = ChangeKind::kEip;
  c.resource = e.name;
  c.allocation_id = e.allocation_id;
  c.target_eni = e.eni.at(target_node);
  if (auto it = e.private_ip.find(target_node); it != e.private_ip.end()) c.target_private_ip = it->second;
  if (!address) {
    // The observer fails when an allocation is missing; this is defensive.
    c.action = ChangeAction::kRefuse;
    c.reason = "Elastic IP not found";
    return c;
  }
  c.public_ip = address->public_ip;
  c.before.target = address->network_interface_id;
  c.before.private_ip = address->private_ip_address;
  c.before.association_id = address->association_id;
  c.before.state = address->association_id.empty() ? "" : "associated";
  c.before.node = node_of_eni(config, state, e.eni, address->network_interface_id).value_or("");

  const bool on_target = address->network_interface_id == c.target_eni &&
                         !address->association_id.empty() &&
                         (c.target_private_ip.empty() ||
                          address->private_ip_address == c.target_private_ip);
  if (on_target) {
    c.action = ChangeAction::kKeep;
    c.reason = "already on " + target_node;
  } else if (address->network_interface_id.empty()) {
    c.action = ChangeAction::kAssociate;
    c.reason = "not associated";
  } else if (!c.before.node.empty()) {
    c.action = ChangeAction::kAssociate;
    c.reason = c.before.node == target_node ? "on " + target_node + ", other private IP"
                                            : "on " + c.before.node;
  } else if (o.force) {
    c.action = ChangeAction::kAssociate;
    c.reason = "on " + c.before.target + ", an ENI of neither node (--force)";
  } else {
    c.action = ChangeAction::kRefuse;
    c.reason = "on " + c.before.target + ", an ENI of neither node; --force moves it";
  }
  return c;
}

void preflight(const Config& config, const ObservedState& state, const std::string& target_node,
               const PlanOptions& o, Plan& plan) {
  const Severity refusal = o.force ? Severity::kWarning : Severity::kRefusal;
  const std::string suffix = o.force ? " (--force: going ahead)" : "";
  const NodeConfig* node = config.node(target_node);
  auto inst = state.instances.find(node->instance_id);
  const std::string who = target_node + " (" + node->instance_id + ")";
  if (inst == state.instances.end()) {
    plan.findings.push_back({refusal, who, "instance not found" + suffix});
  } else if (inst->second.state != "running") {
    plan.findings.push_back({refusal, who,
                             "instance is " + inst->second.state + ", not running" + suffix});
  }
  // Each ENI the target would receive: attached to the target instance and in-use.
  std::set<std::string> route_enis, all_enis;
  for (const auto& r : config.routes) {
    route_enis.insert(r.eni.at(target_node));
    all_enis.insert(r.eni.at(target_node));
  }
  for (const auto& e : config.eips) all_enis.insert(e.eni.at(target_node));
  for (const auto& id : all_enis) {
    auto it = state.enis.find(id);
    if (it == state.enis.end()) {
      plan.findings.push_back({refusal, id, "network interface not found" + suffix});
      continue;
    }
    const auto& ni = it->second;
    if (!ni.attachment || ni.attachment->instance_id != node->instance_id) {
      std::string where = ni.attachment && !ni.attachment->instance_id.empty()
                              ? "attached to " + ni.attachment->instance_id
                              : "not attached";
      plan.findings.push_back(
          {refusal, id, where + ", not to " + target_node + "'s instance " + node->instance_id + suffix});
    } else if (ni.attachment->status != "attached" || ni.status != "in-use") {
      plan.findings.push_back({refusal, id,
                               "attachment " + ni.attachment->status + ", status " + ni.status +
                                   " (expected attached, in-use)" + suffix});
    }
    if (route_enis.count(id) && ni.source_dest_check.value_or(false) && !o.fix_source_dest_check) {
      plan.findings.push_back({Severity::kWarning, id,
                               "source/destination check is enabled: traffic for the virtual IP "
                               "will be dropped ('ec2rk repair --fix-source-dest-check' disables it)"});
    }
  }
}

}  // namespace

Plan make_plan(const Config& config, const ObservedState& state, const std::string& target_node,
               const PlanOptions& options) {
  Plan plan;
  plan.target_node = target_node;
  preflight(config, state, target_node, options, plan);
  for (const auto& r : config.routes) {
    auto it = state.routes.find(r.name);
    if (it == state.routes.end() || it->second.tables.empty()) {
      plan.findings.push_back({Severity::kWarning, r.name,
                               "no route table in " + r.vpc_id + " holds " + r.destination +
                                   " (list the tables in route_tables to have --force create it)"});
      continue;
    }
    for (const auto& table : it->second.tables)
      plan.changes.push_back(plan_route(config, state, r, table, target_node, options));
  }
  for (const auto& e : config.eips) {
    auto it = state.eips.find(e.name);
    std::optional<ec2api::Address> address;
    if (it != state.eips.end()) address = it->second;
    plan.changes.push_back(plan_eip(config, state, e, address, target_node, options));
  }
  if (options.fix_source_dest_check) {
    std::set<std::string> done;
    for (const auto& r : config.routes) {
      const std::string& id = r.eni.at(target_node);
      auto it = state.enis.find(id);
      if (!done.insert(id).second || it == state.enis.end()) continue;
      if (!it->second.source_dest_check.value_or(false)) continue;
      Change c;
      c.kind = ChangeKind::kEniAttribute;
      c.resource = r.name;
      c.eni_id = id;
      c.target_eni = id;
      c.before.target = id;
      c.before.node = target_node;
      c.before.state = "source-dest-check=true";
      c.action = ChangeAction::kFixSourceDestCheck;
      c.reason = "source/destination check enabled";
      plan.changes.push_back(std::move(c));
    }
  }
  return plan;
}

}  // namespace ec2rk::cli
