#include "cli/state.h"

namespace ec2rk::cli {

const ec2api::Route* find_route(const ec2api::RouteTable& table, const RouteResource& r) {
  for (const auto& route : table.routes) {
    const std::string& dest = r.ipv6 ? route.destination_ipv6_cidr_block : route.destination_cidr_block;
    if (dest == r.destination) return &route;
  }
  return nullptr;
}

std::string route_target(const ec2api::Route& route) {
  for (const std::string* s :
       {&route.network_interface_id, &route.instance_id, &route.gateway_id, &route.nat_gateway_id,
        &route.transit_gateway_id, &route.vpc_peering_connection_id}) {
    if (!s->empty()) return *s;
  }
  return "";
}

std::optional<std::string> node_of_eni(const Config& config, const ObservedState& state,
                                       const std::map<std::string, std::string>& resource_eni,
                                       const std::string& eni_id) {
  if (eni_id.empty()) return std::nullopt;
  for (const auto& [node, eni] : resource_eni)
    if (eni == eni_id) return node;
  // Another ENI of a node's instance still belongs to that node.
  for (const auto& n : config.nodes) {
    auto it = state.instances.find(n.instance_id);
    if (it == state.instances.end()) continue;
    for (const auto& ni : it->second.network_interfaces)
      if (ni.network_interface_id == eni_id) return n.name;
  }
  if (auto it = state.enis.find(eni_id); it != state.enis.end() && it->second.attachment) {
    if (const NodeConfig* n = config.node_by_instance(it->second.attachment->instance_id))
      return n->name;
  }
  return std::nullopt;
}

std::optional<std::string> node_of_route(const Config& config, const ObservedState& state,
                                         const RouteResource& r, const ec2api::Route& route) {
  if (!route.network_interface_id.empty())
    return node_of_eni(config, state, r.eni, route.network_interface_id);
  if (!route.instance_id.empty()) {
    if (const NodeConfig* n = config.node_by_instance(route.instance_id)) return n->name;
  }
  return std::nullopt;
}

std::vector<std::string> table_associations(const ec2api::RouteTable& table) {
  std::vector<std::string> out;
  for (const auto& a : table.associations) {
    if (a.main) out.insert(out.begin(), "main");
    else if (!a.subnet_id.empty()) out.push_back(a.subnet_id);
    else if (!a.gateway_id.empty()) out.push_back(a.gateway_id);
  }
  return out;
}

}  // namespace ec2rk::cli
