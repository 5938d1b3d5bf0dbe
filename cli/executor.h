// Applies a Plan: every change in parallel (one call_all), failed changes
// retried until the deadline when the failure is transient (throttling, 5xx,
// network) — a 4xx is final for that change; then verifies by re-observing
// with backoff until every change is visible (EC2 is eventually consistent) or
// the deadline passes. A stale read never causes a change to be sent again.
// The Report says, per resource and table, what was where before and after.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "cli/planner.h"
#include "ec2api/client.h"

namespace ec2rk::cli {

enum class Outcome {
  kUnchanged,   // nothing to do
  kChanged,     // applied and seen by a read
  kFailed,      // the call failed (4xx, or still failing at the deadline)
  kUnverified,  // the call succeeded but no read showed it before the deadline
  kRefused,     // not attempted (safety check)
  kPlanned,     // --dry-run: would be applied
};

std::string_view to_string(Outcome o);

struct ChangeResult {
  Change change;
  Outcome outcome = Outcome::kUnchanged;
  Placement after;
  int64_t time_ms = 0;         // from the start of apply until seen (or failed)
  std::string request_id;      // of the mutating call that succeeded (or failed)
  std::string association_id;  // AssociateAddress's answer
  std::optional<Error> error;  // last error, for kFailed
};

struct Report {
  std::string target_node;
  std::vector<ChangeResult> results;
  std::vector<Finding> findings;
  int64_t elapsed_ms = 0;

  bool complete() const;  // no kFailed / kUnverified
};

struct ExecuteOptions {
  std::chrono::milliseconds timeout{60000};
  bool allow_create = false;  // --force: a vanished route is created instead
  std::string verb = "switchover";  // for syslog lines ("switchover" | "repair")
  std::function<void(std::string_view)> progress;  // one line each, may be empty
  std::function<void(std::string_view)> syslog;    // one line per change, may be empty
};

Report execute(ec2api::Ec2Client& client, const Config& config, const Plan& plan,
               ec2api::Clock& clock, const ExecuteOptions& options);

// The plan as a report before anything is sent: kept changes kUnchanged, refused ones
// kRefused, every other change `mutating_outcome`; `after` is the state before.
Report report_from_plan(const Plan& plan, Outcome mutating_outcome);

// Fills `after` of every result from `state` (used by execute and --dry-run).
void fill_after(const Config& config, const ObservedState& state, std::vector<ChangeResult>& results);

}  // namespace ec2rk::cli
