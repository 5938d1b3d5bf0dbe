// Reads the configured resources' state from EC2 in as few rounds as possible:
// one round of parallel Describe* calls (route tables per resource, all Elastic
// IPs, all configured ENIs, all node instances), then NextToken pages for any
// route-table query that paged. Any failed call fails the whole observation
// with that call's Error: ec2rk never guesses a state it could not read.
#pragma once

#include "cli/config.h"
#include "cli/state.h"
#include "ec2api/client.h"

namespace ec2rk::cli {

struct ObserveScope {
  bool nodes = true;  // DescribeNetworkInterfaces + DescribeInstances (pre-flight, node lookup)
};

Result<ObservedState> observe(ec2api::Ec2Client& client, const Config& config,
                              const ObserveScope& scope = {});

}  // namespace ec2rk::cli
