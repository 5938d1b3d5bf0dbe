#include "cli/mutate.h"

#include <algorithm>
#include <ostream>

#include "cli/context.h"
#include "cli/executor.h"
#include "cli/output.h"
#include "cli/observe.h"
#include "cli/permissions.h"
#include "cli/planner.h"
#include "cli/prompt.h"
#include "cli/render.h"
#include "ec2api/retry.h"

namespace ec2rk::cli {
namespace {

// The plan table goes to stdout with table output; with JSON output stdout is
// reserved for the one JSON document, so a plan shown for confirmation goes to stderr.
void show_plan(const App& app, const Plan& plan) {
  Io io = app.io;
  if (app.global.output == OutputFormat::kJson) {
    io.out = app.io.err;
    io.out_tty = app.io.err_tty;
    io.color_out = app.io.color_err;
  }
  render_plan(io, plan);
}

std::string refusal_summary(const Plan& plan) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  for (const auto& f : plan.findings)
    if (f.severity == Severity::kRefusal) add(f.subject + ": " + f.message);
  for (const auto& c : plan.changes)
    if (c.action == ChangeAction::kRefuse)
      add(c.resource + " " + (c.route_table_id.empty() ? c.allocation_id : c.route_table_id) + ": " + c.reason);
  return out;
}

}  // namespace

int run_mutation(App& app, const MutateOptions& o) {
  const std::string& cmd = o.command;
  auto config = load_command_config(app, o.resources);
  if (!config) return fail(app, config.error());
  if (!o.local) {
    if (auto st = require_node(*config, o.target, o.command == "repair" ? "--node" : "--to"); !st)
      return fail(app, st.error());
  }
  if (o.timeout_seconds <= 0) return fail(app, make_error(ErrorKind::kUsage, "--timeout must be positive"));

  auto session = open_session(app, &*config);
  if (!session) return fail(app, session.error());
  std::string target = o.target;
  if (o.local) {
    auto node = local_node(*session, *config);
    if (!node) return fail(app, node.error());
    target = *node;
  }
  ec2api::Clock& clock = app_clock(app);
  const auto started = clock.now();
  auto budget_start = started;
  auto client = session->make_client(clock);
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(o.timeout_seconds * 1000));
  const auto read_deadline = clock.now() + timeout;
  client->set_deadline(read_deadline);

  auto state = observe(*client, *config);
  // In an incident (throttling, 5xx, dropped connections) a read can use up the client's
  // attempts long before --timeout; nothing has changed yet, so read again while there is time.
  for (std::chrono::milliseconds pause{500};
       !state && ec2api::classify_for_retry(state.error()) != ec2api::RetryClass::kNone &&
       clock.now() + pause < read_deadline;
       pause = std::min(pause * 2, std::chrono::milliseconds{4000})) {
    if (app.global.output == OutputFormat::kTable) progress(app, "reading the current state again...");
    clock.sleep_for(pause);
    state = observe(*client, *config);
  }
  if (!state) return fail(app, state.error());
  PlanOptions po;
  po.force = o.force;
  po.fix_source_dest_check = o.fix_source_dest_check;
  Plan plan = make_plan(*config, *state, target, po);
  const bool table = app.global.output == OutputFormat::kTable;

  if (plan.refused()) {
    if (table) render_plan(app.io, plan);
    else render_report(app.io, app.global.output, cmd, report_from_plan(plan, Outcome::kRefused), "refused", o.dry_run, nullptr);
    return fail(app, make_error(ErrorKind::kPrecondition,
                                cmd + " to " + target + " refused, nothing changed: " + refusal_summary(plan)));
  }

  if (o.dry_run) {
    auto probes = run_probes(*client, probes_for_plan(plan));
    if (!probes) return fail(app, probes.error());
    if (table) render_plan(app.io, plan);
    render_report(app.io, app.global.output, cmd, report_from_plan(plan, Outcome::kPlanned), "planned", true, &*probes);
    std::string denied;
    for (const auto& p : *probes)
      if (!p.allowed) denied += (denied.empty() ? "" : ", ") + p.action + " " + p.id;
    if (!denied.empty()) {
      return fail(app, make_error(ErrorKind::kPrecondition,
                                  "dry run: " + cmd + " would fail, these calls are denied: " + denied));
    }
    if (table) progress(app, "dry run: nothing changed");
    return to_int(ExitCode::kOk);
  }

  if (plan.mutation_count() > 0 && !o.yes) {
    if (!app.io.in_tty) {
      if (table) render_plan(app.io, plan);
      else render_report(app.io, app.global.output, cmd, report_from_plan(plan, Outcome::kPlanned), "refused", false, nullptr);
      return fail(app, make_error(ErrorKind::kPrecondition,
                                  "refusing to change anything without --yes when stdin is not a "
                                  "terminal; nothing changed"));
    }
    show_plan(app, plan);
    size_t n = plan.mutation_count();
    if (!confirm(app.io, "Apply " + std::to_string(n) + (n == 1 ? " change" : " changes") + " to move to " +
                             target + "?")) {
      if (!table) render_report(app.io, app.global.output, cmd, report_from_plan(plan, Outcome::kPlanned), "aborted", false, nullptr);
      return fail(app, make_error(ErrorKind::kPrecondition, cmd + " aborted; nothing changed"));
    }
    budget_start = clock.now();  // the time the operator took to answer is not the command's
  }

  ExecuteOptions eo;
  // --timeout bounds the whole command: apply and verify get what the reads left of it.
  eo.timeout = std::max(std::chrono::milliseconds(1),
                        timeout - std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - budget_start));
  eo.allow_create = o.force;
  eo.verb = cmd;
  eo.progress = [&app](std::string_view line) { progress(app, line); };
  eo.syslog = app.deps.syslog;
  Report report = execute(*client, *config, plan, clock, eo);
  // The operator's clock: from the first read to the last, not just apply + verify.
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - started).count();
  const bool complete = report.complete();
  render_report(app.io, app.global.output, cmd, report, complete ? "ok" : "incomplete", false, nullptr);
  if (complete) return to_int(ExitCode::kOk);

  std::string what;
  size_t n = 0;
  for (const auto& r : report.results) {
    if (r.outcome != Outcome::kFailed && r.outcome != Outcome::kUnverified) continue;
    ++n;
    const Change& c = r.change;
    std::string where = c.kind == ChangeKind::kRoute ? c.route_table_id
                        : c.kind == ChangeKind::kEip ? c.allocation_id
                                                     : c.eni_id;
    std::string why = r.outcome == Outcome::kUnverified ? "not visible before the deadline"
                      : r.error ? r.error->describe() : "failed";
    what += (what.empty() ? "" : "; ") + c.resource + " " + where + ": " + why;
  }
  print_error(app.io, cmd + " to " + target + " incomplete after " + std::to_string(report.elapsed_ms) +
                          " ms: " + std::to_string(n) + (n == 1 ? " change" : " changes") + " not done (" +
                          what + ")");
  return to_int(ExitCode::kIncomplete);
}

}  // namespace ec2rk::cli
