// `check`'s judgement, pure: does the observed state agree with the expected
// node (or, without one, is every resource held entirely by one node), and do
// the preconditions for a switchover hold. Never sees API errors: a state that
// could not be observed never reaches here (it is exit 1, not drift).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "cli/planner.h"
#include "cli/state.h"

namespace ec2rk::cli {

struct PlacementRow {  // one route table or the Elastic IP, for display
  std::string id;      // rtb-... or the public IP
  std::string target;  // eni-... or "" (missing / unassociated)
  std::string node;
  std::string state;   // route state, or "associated" / "unassociated"
};

struct ResourceStatus {
  std::string name;
  ChangeKind kind = ChangeKind::kRoute;
  std::string holder;  // the one node holding all of it, or ""
  bool healthy = false;
  std::vector<std::string> problems;
  std::vector<PlacementRow> rows;
};

struct PreconditionStatus {
  std::string node;
  std::string subject;  // instance or ENI id
  std::string check;    // "instance running", "ENI attached and in-use", "source/dest check disabled"
  bool ok = false;
  std::string detail;   // what was seen
};

struct Assessment {
  std::string expected_node;  // "" = each resource by its own holder
  std::vector<ResourceStatus> resources;
  std::vector<PreconditionStatus> preconditions;

  bool healthy() const;
};

// `expected` must name a configured node when given.
Assessment assess(const Config& config, const ObservedState& state,
                  const std::optional<std::string>& expected);

}  // namespace ec2rk::cli
