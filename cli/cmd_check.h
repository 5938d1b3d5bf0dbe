// `ec2rk check [--expect NODE | --local] [--permissions] [RESOURCE...]`:
// exit 0 when healthy (every resource on the expected node, or each held
// wholly by one node, and the preconditions met), 3 on drift or an unmet
// precondition or a denied call, 1 when the state could not be read.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"

namespace ec2rk::cli {

struct CheckOptions {
  std::string expect;
  bool local = false;
  bool permissions = false;
  std::vector<std::string> resources;
};

int run_check(App& app, const CheckOptions& options);
void define_check(CLI::App& parent, const Command& self, App& app);

}  // namespace ec2rk::cli
