// `ec2rk repair [--local | --node NODE] [--fix-source-dest-check] [--yes] [--timeout S]`:
// re-asserts NODE's claim on every resource that drifted (LifeKeeper's local
// recovery), optionally disabling source/destination check on its route ENIs.
#pragma once

#include "cli/commands.h"

namespace ec2rk::cli {

void define_repair(CLI::App& parent, const Command& self, App& app);

}  // namespace ec2rk::cli
