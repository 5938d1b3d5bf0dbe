#include "cli/commands.h"

#include <array>

#include "cli/cmd_api.h"
#include "cli/cmd_check.h"
#include "cli/cmd_init.h"
#include "cli/cmd_list.h"
#include "cli/cmd_repair.h"
#include "cli/cmd_switchover.h"

namespace ec2rk::cli {

std::span<const Command> commands() {
  static const std::array kCommands = {
      Command{"list", "Show where each route and Elastic IP points now", define_list},
      Command{"check", "Verify the resources are on one (or the expected) node; exit 0/3/1",
              define_check},
      Command{"switchover", "Move every route and Elastic IP to a node", define_switchover},
      Command{"repair", "Re-assert a node's claim on anything that drifted", define_repair},
      Command{"init", "Discover the cluster and write the configuration file", define_init},
      Command{"api", "Sign and send any EC2 Query action; print the response", define_api},
  };
  return kCommands;
}

}  // namespace ec2rk::cli
