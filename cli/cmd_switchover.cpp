#include "cli/cmd_switchover.h"

#include <CLI/CLI.hpp>

#include "cli/mutate.h"

namespace ec2rk::cli {

void define_switchover(CLI::App& parent, const Command& self, App& app) {
  auto opts = std::make_shared<MutateOptions>();
  opts->command = "switchover";
  auto* sub = parent.add_subcommand(std::string(self.name), std::string(self.summary));
  sub->add_option("--to", opts->target, "The node to move the resources to")->required();
  sub->add_flag("-y,--yes", opts->yes, "Do not ask for confirmation (needed when stdin is not a terminal)");
  sub->add_flag("--dry-run", opts->dry_run, "Show the plan and check permissions with DryRun; change nothing");
  sub->add_flag("--force", opts->force,
                "Also overwrite routes/Elastic IPs on a target of neither node, create missing routes "
                "in listed route_tables, and go ahead despite failed pre-flight checks");
  sub->add_option("--timeout", opts->timeout_seconds,
                  "Seconds to keep retrying and verifying before reporting (default 60)");
  sub->add_option("RESOURCE", opts->resources, "Only these resources (default: all)");
  sub->footer(
      "Exit status: 0 done (or already there); 1 failed before changing anything; 2 usage or\n"
      "configuration error; 4 refused by a safety check, without --yes off a terminal, or\n"
      "declined (nothing changed); 5 incomplete at the deadline (the report says what is where).");
  sub->callback([&app, opts] { app.exit_code = run_mutation(app, *opts); });
}

}  // namespace ec2rk::cli
