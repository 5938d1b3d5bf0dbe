// The switchover engine shared by `switchover` and `repair`: observe ->
// pre-flight + plan -> (dry run: DryRun probes) -> confirm -> apply -> verify
// -> report. Exit codes: 0 done (or nothing to do), 1 could not observe or a
// DryRun probe failed, 2 usage/config, 4 refused (safety check, a denied
// DryRun, no --yes without a terminal, or the operator said no; nothing was
// changed), 5 incomplete at the deadline.
#pragma once

#include <string>
#include <vector>

#include "cli/app.h"

namespace ec2rk::cli {

struct MutateOptions {
  std::string command = "switchover";  // "switchover" | "repair" (messages, syslog, JSON)
  std::string target;                  // node name; empty with `local`
  bool local = false;                  // target = this instance's node (IMDS)
  bool yes = false;
  bool dry_run = false;
  bool force = false;
  bool fix_source_dest_check = false;
  double timeout_seconds = 60;
  std::vector<std::string> resources;
};

int run_mutation(App& app, const MutateOptions& options);

}  // namespace ec2rk::cli
