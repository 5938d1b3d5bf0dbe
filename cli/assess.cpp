#include "cli/assess.h"

#include <set>

namespace ec2rk::cli {

bool Assessment::healthy() const {
  for (const auto& r : resources)
    if (!r.healthy) return false;
  for (const auto& p : preconditions)
    if (!p.ok) return false;
  return true;
}

namespace {

// The configured node whose ENI this is for the resource, or "".
std::string configured_node(const std::map<std::string, std::string>& eni, const std::string& id) {
  for (const auto& [node, e] : eni)
    if (e == id && !id.empty()) return node;
  return "";
}

ResourceStatus assess_route(const Config& config, const ObservedState& state, const RouteResource& r) {
  ResourceStatus s;
  s.name = r.name;
  s.kind = ChangeKind::kRoute;
  auto it = state.routes.find(r.name);
  if (it == state.routes.end() || it->second.tables.empty()) {
    s.problems.push_back("no route table in " + r.vpc_id + " holds " + r.destination);
    return s;
  }
  std::set<std::string> holders;
  bool all_good = true;
  for (const auto& table : it->second.tables) {
    PlacementRow row;
    row.id = table.route_table_id;
    const ec2api::Route* route = find_route(table, r);
    if (route == nullptr) {
      row.state = "missing";
      s.problems.push_back(table.route_table_id + ": no route for " + r.destination);
      all_good = false;
      s.rows.push_back(row);
      continue;
    }
    row.target = route_target(*route);
    row.state = route->state;
    row.node = node_of_route(config, state, r, *route).value_or("");
    std::string node = configured_node(r.eni, route->network_interface_id);
    if (route->state != "active") {
      s.problems.push_back(table.route_table_id + ": route is " + route->state + " (target " +
                           (row.target.empty() ? "none" : row.target) + ")");
      all_good = false;
    } else if (node.empty()) {
      s.problems.push_back(table.route_table_id + ": targets " + row.target +
                           (row.node.empty() ? ", which belongs to neither node"
                                             : ", not " + row.node + "'s configured ENI"));
      all_good = false;
    } else {
      holders.insert(node);
    }
    s.rows.push_back(row);
  }
  if (holders.size() > 1) {
    std::string list;
    for (const auto& h : holders) list += (list.empty() ? "" : " and ") + h;
    s.problems.push_back("split between " + list);
  } else if (all_good && holders.size() == 1) {
    s.holder = *holders.begin();
  }
  return s;
}

ResourceStatus assess_eip(const Config& config, const ObservedState& state, const EipResource& e) {
  ResourceStatus s;
  s.name = e.name;
  s.kind = ChangeKind::kEip;
  auto it = state.eips.find(e.name);
  if (it == state.eips.end() || !it->second) {
    s.problems.push_back(e.allocation_id + " not found");
    return s;
  }
  const ec2api::Address& a = *it->second;
  PlacementRow row;
  row.id = a.public_ip.empty() ? e.allocation_id : a.public_ip;
  row.target = a.network_interface_id;
  row.state = a.association_id.empty() ? "unassociated" : "associated";
  row.node = node_of_eni(config, state, e.eni, a.network_interface_id).value_or("");
  s.rows.push_back(row);
  std::string node = configured_node(e.eni, a.network_interface_id);
  if (a.association_id.empty() || a.network_interface_id.empty()) {
    s.problems.push_back(row.id + " is not associated");
  } else if (node.empty()) {
    s.problems.push_back(row.id + " is on " + a.network_interface_id +
                         (row.node.empty() ? ", which belongs to neither node"
                                           : ", not " + row.node + "'s configured ENI"));
  } else if (auto p = e.private_ip.find(node);
             p != e.private_ip.end() && p->second != a.private_ip_address) {
    s.problems.push_back(row.id + " is on " + node + "'s ENI but private IP " +
                         a.private_ip_address + ", expected " + p->second);
  } else {
    s.holder = node;
  }
  return s;
}

void node_preconditions(const Config& config, const ObservedState& state, const std::string& node_name,
                        std::vector<PreconditionStatus>& out) {
  const NodeConfig* node = config.node(node_name);
  PreconditionStatus running{node_name, node->instance_id, "instance running", false, ""};
  auto inst = state.instances.find(node->instance_id);
  if (inst == state.instances.end()) {
    running.detail = "not found";
  } else {
    running.detail = inst->second.state;
    running.ok = inst->second.state == "running";
  }
  out.push_back(running);

  std::set<std::string> route_enis, all_enis;
  for (const auto& r : config.routes) {
    route_enis.insert(r.eni.at(node_name));
    all_enis.insert(r.eni.at(node_name));
  }
  for (const auto& e : config.eips) all_enis.insert(e.eni.at(node_name));
  for (const auto& id : all_enis) {
    PreconditionStatus attached{node_name, id, "ENI attached and in-use", false, ""};
    auto it = state.enis.find(id);
    if (it == state.enis.end()) {
      attached.detail = "not found";
      out.push_back(attached);
      continue;
    }
    const auto& ni = it->second;
    if (!ni.attachment || ni.attachment->instance_id.empty()) {
      attached.detail = "not attached (" + ni.status + ")";
    } else if (ni.attachment->instance_id != node->instance_id) {
      attached.detail = "attached to " + ni.attachment->instance_id + ", not " + node->instance_id;
    } else {
      attached.detail = ni.attachment->status + ", " + ni.status;
      attached.ok = ni.attachment->status == "attached" && ni.status == "in-use";
    }
    out.push_back(attached);
    if (route_enis.count(id)) {
      PreconditionStatus sdc{node_name, id, "source/dest check disabled", false, ""};
      if (!ni.source_dest_check) {
        sdc.detail = "unknown";
      } else {
        sdc.ok = !*ni.source_dest_check;
        sdc.detail = *ni.source_dest_check ? "enabled" : "disabled";
      }
      out.push_back(sdc);
    }
  }
}

}  // namespace

Assessment assess(const Config& config, const ObservedState& state,
                  const std::optional<std::string>& expected) {
  Assessment a;
  a.expected_node = expected.value_or("");
  for (const auto& r : config.routes) a.resources.push_back(assess_route(config, state, r));
  for (const auto& e : config.eips) a.resources.push_back(assess_eip(config, state, e));

  std::set<std::string> nodes;
  for (auto& r : a.resources) {
    if (expected) {
      if (!r.holder.empty() && r.holder != *expected)
        r.problems.push_back("held by " + r.holder + ", expected " + *expected);
      r.healthy = r.problems.empty() && r.holder == *expected;
    } else {
      r.healthy = r.problems.empty() && !r.holder.empty();
      if (!r.holder.empty()) nodes.insert(r.holder);
    }
  }
  if (expected) nodes = {*expected};
  for (const auto& n : nodes) node_preconditions(config, state, n, a.preconditions);
  return a;
}

}  // namespace ec2rk::cli
