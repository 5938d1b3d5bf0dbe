#include "cli/commands.h"

#include <array>

#include "cli/cmd_api.h"

namespace ec2rk::cli {

std::span<const Command> commands() {
  static const std::array kCommands = {
      Command{"api", "Sign and send any EC2 Query action; print the response", define_api},
  };
  return kCommands;
}

}  // namespace ec2rk::cli
