// The switchover planner: (config, observed state, target node, flags) -> Plan.
// Pure: no I/O, no clock. It decides per route table and per Elastic IP what a
// switchover does, and which pre-flight findings stop it.
//
// Rules (README "switchover"):
//  - a route already on the target's ENI and active is kept (idempotent);
//  - a route on another node's ENI, or in state blackhole, is replaced;
//  - a route on a target of neither node (active) is refused unless --force;
//  - a table listed in route_tables that lacks the route is refused unless
//    --force, which creates the route there;
//  - an Elastic IP not on the target ENI (and private IP, when configured) is
//    associated with AllowReassociation=true; one on a foreign ENI is refused
//    unless --force;
//  - pre-flight: the target instance must be running and each target ENI
//    attached to it and in-use (refusals; --force overrides); source/dest check
//    enabled on a target route ENI is a warning (repair can fix it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "cli/state.h"

namespace ec2rk::cli {

enum class ChangeAction {
  kKeep,       // already right
  kReplace,    // ReplaceRoute
  kCreate,     // CreateRoute (--force, listed table lacks the route)
  kAssociate,  // AssociateAddress
  kRefuse,     // unsafe without --force
  kFixSourceDestCheck,  // ModifyNetworkInterfaceAttribute SourceDestCheck=false (repair)
};

std::string_view to_string(ChangeAction a);

enum class ChangeKind { kRoute, kEip, kEniAttribute };

// Where a resource points (before or after).
struct Placement {
  std::string target;      // eni-..., i-..., igw-..., or "" (no route / unassociated)
  std::string node;        // "" when neither node
  std::string state;       // route: active | blackhole | "" (missing); eip: "associated" | ""
  std::string private_ip;  // eip only
  std::string association_id;  // eip only
};

struct Change {
  ChangeKind kind = ChangeKind::kRoute;
  std::string resource;
  // route
  std::string route_table_id;
  std::string table_name;
  std::string destination;
  bool ipv6 = false;
  // eip
  std::string allocation_id;
  std::string public_ip;
  // eni attribute
  std::string eni_id;

  Placement before;
  std::string target_eni;
  std::string target_private_ip;
  ChangeAction action = ChangeAction::kKeep;
  std::string reason;  // why (shown in plan and report)

  bool mutates() const {
    return action == ChangeAction::kReplace || action == ChangeAction::kCreate ||
           action == ChangeAction::kAssociate || action == ChangeAction::kFixSourceDestCheck;
  }
};

enum class Severity { kWarning, kRefusal };

struct Finding {
  Severity severity = Severity::kWarning;
  std::string subject;  // "node2 i-...", "eni-...", resource name
  std::string message;
};

struct Plan {
  std::string target_node;
  std::vector<Change> changes;    // routes (by resource, table), then EIPs
  std::vector<Finding> findings;  // pre-flight

  bool refused() const;           // any kRefuse change or kRefusal finding
  size_t mutation_count() const;  // changes that call EC2
};

struct PlanOptions {
  bool force = false;
  bool fix_source_dest_check = false;  // repair: add kFixSourceDestCheck changes
};

Plan make_plan(const Config& config, const ObservedState& state, const std::string& target_node,
               const PlanOptions& options);

}  // namespace ec2rk::cli
