// `ec2rk switchover --to NODE [--yes] [--dry-run] [--force] [--timeout S] [RESOURCE...]`:
// moves every route of the selected resources and each Elastic IP to NODE
// (see mutate.h for the steps and exit codes).
#pragma once

#include "cli/commands.h"

namespace ec2rk::cli {

void define_switchover(CLI::App& parent, const Command& self, App& app);

}  // namespace ec2rk::cli
