#include "cli/cmd_repair.h"

#include <CLI/CLI.hpp>

#include "cli/mutate.h"

namespace ec2rk::cli {

void define_repair(CLI::App& parent, const Command& self, App& app) {
  auto opts = std::make_shared<MutateOptions>();
  opts->command = "repair";
  auto* sub = parent.add_subcommand(std::string(self.name), std::string(self.summary));
  auto* node = sub->add_option("--node", opts->target, "The node whose claim to re-assert");
  auto* local = sub->add_flag("--local", opts->local, "This instance's node (from instance metadata)");
  node->excludes(local);
  sub->add_flag("--fix-source-dest-check", opts->fix_source_dest_check,
                "Disable source/destination check on the node's route ENIs");
  sub->add_flag("-y,--yes", opts->yes, "Do not ask for confirmation (needed when stdin is not a terminal)");
  sub->add_option("--timeout", opts->timeout_seconds, "Seconds to keep retrying and verifying (default 60)");
  sub->add_option("RESOURCE", opts->resources, "Only these resources (default: all)");
  sub->footer("Exit status: as for switchover.");
  sub->callback([&app, opts] {
    if (opts->target.empty() && !opts->local) {
      throw CLI::ValidationError("repair needs --node NODE or --local");
    }
    app.exit_code = run_mutation(app, *opts);
  });
}

}  // namespace ec2rk::cli
