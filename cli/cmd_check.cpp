#include "cli/cmd_check.h"

#include <CLI/CLI.hpp>

#include "cli/assess.h"
#include "cli/context.h"
#include "cli/observe.h"
#include "cli/permissions.h"
#include "cli/render.h"

namespace ec2rk::cli {

int run_check(App& app, const CheckOptions& options) {
  auto config = load_command_config(app, options.resources);
  if (!config) return fail(app, config.error());
  std::optional<std::string> expected;
  if (!options.expect.empty()) {
    if (auto st = require_node(*config, options.expect, "--expect"); !st) return fail(app, st.error());
    expected = options.expect;
  }
  auto session = open_session(app, &*config);
  if (!session) return fail(app, session.error());
  if (options.local) {
    auto node = local_node(*session, *config);
    if (!node) return fail(app, node.error());
    expected = *node;
  }
  auto client = session->make_client(app_clock(app));
  auto state = observe(*client, *config);
  if (!state) return fail(app, state.error());
  Assessment a = assess(*config, *state, expected);

  std::optional<std::vector<PermissionCheck>> permissions;
  if (options.permissions) {
    auto probes = run_probes(*client, probes_for_config(*config, *state));
    if (!probes) return fail(app, probes.error());
    permissions = std::move(*probes);
  }
  render_check(app.io, app.global.output, a, permissions ? &*permissions : nullptr);
  bool denied = false;
  if (permissions)
    for (const auto& p : *permissions) denied |= !p.allowed;
  return to_int(a.healthy() && !denied ? ExitCode::kOk : ExitCode::kDrift);
}

void define_check(CLI::App& parent, const Command& self, App& app) {
  auto opts = std::make_shared<CheckOptions>();
  auto* sub = parent.add_subcommand(std::string(self.name), std::string(self.summary));
  auto* expect = sub->add_option("--expect", opts->expect, "The node every resource must be on");
  auto* local = sub->add_flag("--local", opts->local,
                              "Expect this instance's node (its id from instance metadata)");
  expect->excludes(local);
  sub->add_flag("--permissions", opts->permissions,
                "Also check with DryRun that each call a switchover needs is allowed");
  sub->add_option("RESOURCE", opts->resources, "Only these resources (default: all)");
  sub->footer(
      "Exit status: 0 healthy; 1 could not tell (API, network, credentials); 2 usage or\n"
      "configuration error; 3 drift, an unmet precondition or a denied call.");
  sub->callback([&app, opts] { app.exit_code = run_check(app, *opts); });
}

}  // namespace ec2rk::cli
