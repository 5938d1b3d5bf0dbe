#include "cli/cmd_list.h"

#include <CLI/CLI.hpp>

#include "cli/context.h"
#include "cli/observe.h"
#include "cli/render.h"

namespace ec2rk::cli {

int run_list(App& app, const ListOptions& options) {
  auto config = load_command_config(app, options.resources);
  if (!config) return fail(app, config.error());
  auto session = open_session(app, &*config);
  if (!session) return fail(app, session.error());
  auto client = session->make_client(app_clock(app));
  auto state = observe(*client, *config);
  if (!state) return fail(app, state.error());
  render_list(app.io, app.global.output, *config, *state);
  return to_int(ExitCode::kOk);
}

void define_list(CLI::App& parent, const Command& self, App& app) {
  auto opts = std::make_shared<ListOptions>();
  auto* sub = parent.add_subcommand(std::string(self.name), std::string(self.summary));
  sub->add_option("RESOURCE", opts->resources, "Only these resources (default: all)");
  sub->callback([&app, opts] { app.exit_code = run_list(app, *opts); });
}

}  // namespace ec2rk::cli
