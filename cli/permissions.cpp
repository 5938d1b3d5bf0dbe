#include "cli/permissions.h"

namespace ec2rk::cli {
namespace {

PermissionCheck route_probe(const std::string& resource, const std::string& table,
                            const std::string& destination, bool ipv6, bool exists,
                            const std::string& eni, const std::string& node) {
  PermissionCheck p;
  p.action = exists ? "ReplaceRoute" : "CreateRoute";
  p.resource = resource;
  p.id = table;
  p.network_interface_id = eni;
  p.node = node;
  ec2api::RouteChangeRequest r;
  r.route_table_id = table;
  (ipv6 ? r.destination_ipv6_cidr_block : r.destination_cidr_block) = destination;
  r.network_interface_id = eni;
  r.dry_run = true;
  p.query = exists ? ec2api::to_query(ec2api::ReplaceRouteRequest{r})
                   : ec2api::to_query(ec2api::CreateRouteRequest{r});
  return p;
}

PermissionCheck eip_probe(const std::string& resource, const std::string& allocation,
                          const std::string& eni, const std::string& private_ip,
                          const std::string& node) {
  PermissionCheck p;
  p.action = "AssociateAddress";
  p.resource = resource;
  p.id = allocation;
  p.network_interface_id = eni;
  p.node = node;
  ec2api::AssociateAddressRequest r;
  r.allocation_id = allocation;
  r.network_interface_id = eni;
  r.private_ip_address = private_ip;
  r.allow_reassociation = true;
  r.dry_run = true;
  p.query = ec2api::to_query(r);
  return p;
}

}  // namespace

std::vector<PermissionCheck> probes_for_config(const Config& config, const ObservedState& state) {
  std::vector<PermissionCheck> out;
  for (const auto& r : config.routes) {
    auto it = state.routes.find(r.name);
    if (it == state.routes.end()) continue;
    for (const auto& t : it->second.tables) {
      bool exists = find_route(t, r) != nullptr;
      for (const auto& [node, eni] : r.eni)
        out.push_back(route_probe(r.name, t.route_table_id, r.destination, r.ipv6, exists, eni, node));
    }
  }
  for (const auto& e : config.eips) {
    for (const auto& [node, eni] : e.eni) {
      auto ip = e.private_ip.find(node);
      out.push_back(eip_probe(e.name, e.allocation_id, eni, ip == e.private_ip.end() ? "" : ip->second, node));
    }
  }
  return out;
}

std::vector<PermissionCheck> probes_for_plan(const Plan& plan) {
  std::vector<PermissionCheck> out;
  for (const auto& c : plan.changes) {
    switch (c.action) {
      case ChangeAction::kReplace:
      case ChangeAction::kCreate:
        out.push_back(route_probe(c.resource, c.route_table_id, c.destination, c.ipv6,
                                  c.action == ChangeAction::kReplace, c.target_eni, plan.target_node));
        break;
      case ChangeAction::kAssociate:
        out.push_back(eip_probe(c.resource, c.allocation_id, c.target_eni, c.target_private_ip,
                                plan.target_node));
        break;
      case ChangeAction::kFixSourceDestCheck: {
        PermissionCheck p;
        p.action = "ModifyNetworkInterfaceAttribute";
        p.resource = c.resource;
        p.id = c.eni_id;
        p.network_interface_id = c.eni_id;
        p.node = plan.target_node;
        ec2api::ModifyNetworkInterfaceAttributeRequest r;
        r.network_interface_id = c.eni_id;
        r.source_dest_check = false;
        r.dry_run = true;
        p.query = ec2api::to_query(r);
        out.push_back(std::move(p));
        break;
      }
      default: break;
    }
  }
  return out;
}

Result<std::vector<PermissionCheck>> run_probes(ec2api::Ec2Client& client,
                                                std::vector<PermissionCheck> probes) {
  std::vector<ec2api::Query> queries;
  for (const auto& p : probes) queries.push_back(p.query);
  auto results = client.call_all(queries);
  for (size_t i = 0; i < probes.size(); ++i) {
    if (results[i]) {
      // EC2 never answers a DryRun with success; treat it as allowed (it was).
      probes[i].allowed = true;
      continue;
    }
    const Error& e = results[i].error();
    if (e.aws_code == "DryRunOperation") {
      probes[i].allowed = true;
    } else if (e.aws_code == "UnauthorizedOperation") {
      probes[i].allowed = false;
      std::string msg = e.message;
      // The encoded authorization blob is long and useless without STS; keep the sentence.
      if (auto pos = msg.find(" Encoded authorization failure message"); pos != std::string::npos)
        msg = msg.substr(0, pos);
      probes[i].detail = msg;
    } else {
      return e;
    }
  }
  return probes;
}

}  // namespace ec2rk::cli
