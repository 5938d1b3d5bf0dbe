// `--permissions` / `--dry-run`: asks EC2 with DryRun=true whether each
// mutating call a switchover needs is allowed. DryRunOperation = allowed,
// UnauthorizedOperation = denied; any other answer fails the whole check
// (exit 1: could not tell), because it says nothing about permission.
#pragma once

#include <string>
#include <vector>

#include "cli/config.h"
#include "cli/planner.h"
#include "cli/state.h"
#include "ec2api/client.h"

namespace ec2rk::cli {

struct PermissionCheck {
  std::string action;    // ReplaceRoute | CreateRoute | AssociateAddress | ModifyNetworkInterfaceAttribute
  std::string resource;  // config resource name
  std::string id;        // rtb-... | eipalloc-... | eni-...
  std::string network_interface_id;
  std::string node;
  bool allowed = false;
  std::string detail;    // the denial message (first line) when denied
  ec2api::Query query;   // with DryRun=true
};

// One probe per (route table, node) and (Elastic IP, node): what any
// switchover between the configured nodes would call.
std::vector<PermissionCheck> probes_for_config(const Config& config, const ObservedState& state);
// One probe per mutating change of the plan (switchover --dry-run).
std::vector<PermissionCheck> probes_for_plan(const Plan& plan);

// Sends every probe in parallel and fills `allowed`. Errors other than the two
// DryRun answers fail with that Error.
Result<std::vector<PermissionCheck>> run_probes(ec2api::Ec2Client& client,
                                                std::vector<PermissionCheck> probes);

}  // namespace ec2rk::cli
