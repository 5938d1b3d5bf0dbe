// What ec2rk saw in EC2 for the configured resources (the planner's and the
// assessor's input), and pure helpers to read it: which node a route or an
// Elastic IP currently belongs to.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "ec2api/model.h"

namespace ec2rk::cli {

struct ObservedRoutes {
  // Every table of the VPC holding the destination, plus the resource's
  // listed route_tables (which may lack it); sorted by route table id.
  std::vector<ec2api::RouteTable> tables;
};

struct ObservedState {
  std::map<std::string, ObservedRoutes> routes;                // by route resource name
  std::map<std::string, std::optional<ec2api::Address>> eips;  // by EIP resource name
  std::map<std::string, ec2api::NetworkInterface> enis;        // by ENI id
  std::map<std::string, ec2api::Instance> instances;           // by instance id
};

// The route for `destination` in `table`, or nullptr when the table lacks it.
const ec2api::Route* find_route(const ec2api::RouteTable& table, const RouteResource& r);

// What a route points at, for display: the ENI id, else the instance, gateway,
// NAT gateway, ... id; "" when it has no target.
std::string route_target(const ec2api::Route& route);

// The node a target (an ENI id, or an instance id) belongs to: the resource's
// configured ENI first, then any ENI the observed node instances have attached
// (or that is attached to a node's instance). nullopt = neither node.
std::optional<std::string> node_of_eni(const Config& config, const ObservedState& state,
                                       const std::map<std::string, std::string>& resource_eni,
                                       const std::string& eni_id);
std::optional<std::string> node_of_route(const Config& config, const ObservedState& state,
                                         const RouteResource& r, const ec2api::Route& route);

// "main" and/or the associated subnet ids, in order.
std::vector<std::string> table_associations(const ec2api::RouteTable& table);

}  // namespace ec2rk::cli
