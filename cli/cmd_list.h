// `ec2rk list [RESOURCE...]`: where each resource points now — every route
// table holding a route resource's destination (table, Name tag, associations,
// target, state, node) and each Elastic IP's association (ENI, private IP, node).
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"

namespace ec2rk::cli {

struct ListOptions {
  std::vector<std::string> resources;
};

int run_list(App& app, const ListOptions& options);
void define_list(CLI::App& parent, const Command& self, App& app);

}  // namespace ec2rk::cli
