// Rendering, separate from logic: each command's result as a table (aligned
// with a header on a terminal, tab-separated rows prefixed with their record
// type when piped) or as one JSON document with stable snake_case keys
// (documented in README "JSON output"). Everything here writes to io.out.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "cli/app.h"
#include "cli/assess.h"
#include "cli/config.h"
#include "cli/executor.h"
#include "cli/permissions.h"
#include "cli/planner.h"
#include "cli/state.h"

namespace ec2rk::cli {

// `list`
nlohmann::json list_json(const Config& config, const ObservedState& state);
void render_list(const Io& io, OutputFormat format, const Config& config, const ObservedState& state);

// `check` (`permissions` is empty unless --permissions was given)
nlohmann::json check_json(const Assessment& a, const std::vector<PermissionCheck>* permissions);
void render_check(const Io& io, OutputFormat format, const Assessment& a,
                  const std::vector<PermissionCheck>* permissions);

// `switchover` / `repair`: the plan before confirmation (table only).
void render_plan(const Io& io, const Plan& plan);

// `switchover` / `repair`: the outcome. `status` is one of ok | incomplete |
// refused | aborted | planned (dry run).
nlohmann::json report_json(std::string_view command, const Report& report, std::string_view status,
                           bool dry_run, const std::vector<PermissionCheck>* permissions);
void render_report(const Io& io, OutputFormat format, std::string_view command, const Report& report,
                   std::string_view status, bool dry_run,
                   const std::vector<PermissionCheck>* permissions);

// Shared: "eni-... (node1)", "eni-... (node1, blackhole)", "none".
std::string placement_text(const Placement& p);

}  // namespace ec2rk::cli
