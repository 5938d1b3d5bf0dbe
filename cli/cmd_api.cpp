// Placeholder until the ec2api runtime lands (issue 3).
#include "cli/cmd_api.h"

#include <CLI/CLI.hpp>

#include "cli/app.h"
#include "cli/output.h"

namespace ec2rk::cli {

void define_api(CLI::App& parent, const Command& self, App& app) {
  auto* sub = parent.add_subcommand(std::string(self.name), std::string(self.summary));
  sub->callback([&app] {
    print_error(app.io, "api: not implemented yet");
    app.exit_code = 1;
  });
}

}  // namespace ec2rk::cli
