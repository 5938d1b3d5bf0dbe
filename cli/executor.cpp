#include "cli/executor.h"

#include <algorithm>

#include "cli/observe.h"
#include "ec2api/xml.h"

namespace ec2rk::cli {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::kUnchanged: return "unchanged";
    case Outcome::kChanged: return "changed";
    case Outcome::kFailed: return "failed";
    case Outcome::kUnverified: return "unverified";
    case Outcome::kRefused: return "refused";
    case Outcome::kPlanned: return "planned";
  }
  return "?";
}

bool Report::complete() const {
  for (const auto& r : results)
    if (r.outcome == Outcome::kFailed || r.outcome == Outcome::kUnverified) return false;
  return true;
}

namespace {

using std::chrono::milliseconds;

ec2api::Query query_for(const Change& c) {
  switch (c.action) {
    case ChangeAction::kReplace:
    case ChangeAction::kCreate: {
      ec2api::RouteChangeRequest r;
      r.route_table_id = c.route_table_id;
      (c.ipv6 ? r.destination_ipv6_cidr_block : r.destination_cidr_block) = c.destination;
      r.network_interface_id = c.target_eni;
      if (c.action == ChangeAction::kCreate) return ec2api::to_query(ec2api::CreateRouteRequest{r});
      return ec2api::to_query(ec2api::ReplaceRouteRequest{r});
    }
    case ChangeAction::kAssociate: {
      ec2api::AssociateAddressRequest r;
      r.allocation_id = c.allocation_id;
      r.network_interface_id = c.target_eni;
      r.private_ip_address = c.target_private_ip;
      r.allow_reassociation = true;  // move in one call; never disassociate first
      return ec2api::to_query(r);
    }
    case ChangeAction::kFixSourceDestCheck: {
      ec2api::ModifyNetworkInterfaceAttributeRequest r;
      r.network_interface_id = c.eni_id;
      r.source_dest_check = false;
      return ec2api::to_query(r);
    }
    default: return {};
  }
}

bool transient(const Error& e) {
  return e.kind == ErrorKind::kThrottled || e.kind == ErrorKind::kServer ||
         e.kind == ErrorKind::kNetwork || e.kind == ErrorKind::kTimeout;
}

// Is the change's intended state visible in `state`?
bool visible(const Change& c, const ObservedState& state) {
  switch (c.kind) {
    case ChangeKind::kRoute: {
      auto it = state.routes.find(c.resource);
      if (it == state.routes.end()) return false;
      for (const auto& t : it->second.tables) {
        if (t.route_table_id != c.route_table_id) continue;
        for (const auto& r : t.routes) {
          const std::string& dest = c.ipv6 ? r.destination_ipv6_cidr_block : r.destination_cidr_block;
          if (dest == c.destination)
            return r.network_interface_id == c.target_eni && r.state == "active";
        }
      }
      return false;
    }
    case ChangeKind::kEip: {
      auto it = state.eips.find(c.resource);
      if (it == state.eips.end() || !it->second) return false;
      const auto& a = *it->second;
      return a.network_interface_id == c.target_eni && !a.association_id.empty() &&
             (c.target_private_ip.empty() || a.private_ip_address == c.target_private_ip);
    }
    case ChangeKind::kEniAttribute: {
      auto it = state.enis.find(c.eni_id);
      return it != state.enis.end() && it->second.source_dest_check == false;
    }
  }
  return false;
}

std::string describe_target(const Placement& p) {
  if (p.target.empty()) return p.state.empty() ? "none" : p.state;
  return p.target;
}

std::string syslog_line(const ExecuteOptions& o, const ChangeResult& r, const std::string& outcome) {
  const Change& c = r.change;
  std::string what;
  switch (c.kind) {
    case ChangeKind::kRoute: what = c.resource + " " + c.route_table_id + " " + c.destination; break;
    case ChangeKind::kEip:
      what = c.resource + " " + c.allocation_id + (c.public_ip.empty() ? "" : " " + c.public_ip);
      break;
    case ChangeKind::kEniAttribute: what = c.resource + " " + c.eni_id + " source-dest-check"; break;
  }
  std::string from = c.kind == ChangeKind::kEniAttribute ? "true" : describe_target(c.before);
  std::string to = c.kind == ChangeKind::kEniAttribute ? "false" : c.target_eni;
  std::string line = o.verb + " " + what + ": " + from + " -> " + to;
  if (!r.association_id.empty()) line += " association-id=" + r.association_id;
  line += " request-id=" + (r.request_id.empty() ? std::string("-") : r.request_id);
  line += " outcome=" + outcome;
  return line;
}

std::string progress_summary(const Plan& plan) {
  size_t replace = 0, create = 0, eips = 0, sdc = 0;
  for (const auto& c : plan.changes) {
    replace += c.action == ChangeAction::kReplace;
    create += c.action == ChangeAction::kCreate;
    eips += c.action == ChangeAction::kAssociate;
    sdc += c.action == ChangeAction::kFixSourceDestCheck;
  }
  std::vector<std::string> parts;
  auto plural = [](size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  if (replace) parts.push_back("replacing " + plural(replace, "route", "routes"));
  if (create) parts.push_back("creating " + plural(create, "route", "routes"));
  if (eips) parts.push_back("moving " + plural(eips, "Elastic IP", "Elastic IPs"));
  if (sdc) parts.push_back("disabling source/dest check on " + plural(sdc, "ENI", "ENIs"));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

}  // namespace

Report report_from_plan(const Plan& plan, Outcome mutating_outcome) {
  Report r;
  r.target_node = plan.target_node;
  r.findings = plan.findings;
  for (const auto& c : plan.changes) {
    ChangeResult cr;
    cr.change = c;
    cr.after = c.before;
    cr.outcome = c.action == ChangeAction::kKeep     ? Outcome::kUnchanged
                 : c.action == ChangeAction::kRefuse ? Outcome::kRefused
                                                     : mutating_outcome;
    r.results.push_back(std::move(cr));
  }
  return r;
}

void fill_after(const Config& config, const ObservedState& state, std::vector<ChangeResult>& results) {
  for (auto& r : results) {
    const Change& c = r.change;
    Placement p;
    if (c.kind == ChangeKind::kRoute) {
      const RouteResource* res = nullptr;
      for (const auto& x : config.routes)
        if (x.name == c.resource) res = &x;
      auto it = state.routes.find(c.resource);
      if (res != nullptr && it != state.routes.end()) {
        for (const auto& t : it->second.tables) {
          if (t.route_table_id != c.route_table_id) continue;
          if (const ec2api::Route* route = find_route(t, *res)) {
            p.target = route_target(*route);
            p.state = route->state;
            p.node = node_of_route(config, state, *res, *route).value_or("");
          }
        }
      }
    } else if (c.kind == ChangeKind::kEip) {
      const EipResource* res = nullptr;
      for (const auto& x : config.eips)
        if (x.name == c.resource) res = &x;
      auto it = state.eips.find(c.resource);
      if (res != nullptr && it != state.eips.end() && it->second) {
        const auto& a = *it->second;
        p.target = a.network_interface_id;
        p.private_ip = a.private_ip_address;
        p.association_id = a.association_id;
        p.state = a.association_id.empty() ? "" : "associated";
        p.node = node_of_eni(config, state, res->eni, a.network_interface_id).value_or("");
      }
    } else {
      p = c.before;
      auto it = state.enis.find(c.eni_id);
      if (it != state.enis.end() && it->second.source_dest_check) {
        p.state = std::string("source-dest-check=") + (*it->second.source_dest_check ? "true" : "false");
      }
    }
    r.after = p;
  }
}

Report execute(ec2api::Ec2Client& client, const Config& config, const Plan& plan,
               ec2api::Clock& clock, const ExecuteOptions& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  const auto start = clock.now();
  const auto deadline = start + options.timeout;
  auto elapsed_ms = [&] {
    return std::chrono::duration_cast<milliseconds>(clock.now() - start).count();
  };

  // Every change counts as failed until its call succeeds and a read shows it.
  Report report = report_from_plan(plan, Outcome::kFailed);

  std::vector<size_t> pending, applied;
  for (size_t i = 0; i < report.results.size(); ++i)
    if (report.results[i].change.mutates()) pending.push_back(i);
  if (pending.empty()) {
    report.elapsed_ms = elapsed_ms();
    return report;
  }
  say(progress_summary(plan) + " on " + plan.target_node + "...");

  // ---- apply: all at once; transient failures again until the deadline ----
  // The client sends each call once here: the loop below retries what failed, and the
  // client's own backoff would hold a whole round for seconds over one throttled call.
  // Throttling is paced rather than backed off: past its burst EC2 refills a mutating
  // action's bucket at 5 calls/s, so the remaining changes go out every kPaceInterval (one
  // refill), as many as got through the last time, or one more when all did (the account's
  // bucket may be larger), until the deadline. Other transient failures back off.
  client.set_deadline(deadline);
  const int client_attempts = client.options().max_attempts;
  client.set_max_attempts(1);
  constexpr milliseconds kPaceInterval{200};
  milliseconds backoff{200};
  size_t allowance = 0;  // changes per paced round; 0 until EC2 throttles
  while (!pending.empty()) {
    std::vector<size_t> batch = pending;
    std::vector<size_t> later;
    if (allowance > 0 && batch.size() > allowance) {
      later.assign(batch.begin() + static_cast<std::ptrdiff_t>(allowance), batch.end());
      batch.resize(allowance);
    }
    const auto round_start = clock.now();
    std::vector<ec2api::Query> queries;
    for (size_t i : batch) queries.push_back(query_for(report.results[i].change));
    auto results = client.call_all(queries);
    std::vector<size_t> again;
    size_t succeeded = 0, throttled = 0;
    for (size_t k = 0; k < batch.size(); ++k) {
      ChangeResult& r = report.results[batch[k]];
      Change& c = r.change;
      if (results[k]) {
        r.request_id = results[k]->request_id;
        r.error.reset();
        if (c.action == ChangeAction::kAssociate) {
          if (auto parsed = ec2api::parse_associate_address(results[k]->body))
            r.association_id = parsed->association_id;
        }
        r.time_ms = elapsed_ms();
        applied.push_back(batch[k]);
        ++succeeded;
        if (options.syslog) options.syslog(syslog_line(options, r, "ok"));
        continue;
      }
      const Error& e = results[k].error();
      r.error = e;
      r.request_id = e.request_id;
      r.time_ms = elapsed_ms();
      // The route appeared or vanished since we looked: switch to the call that fits.
      if (c.action == ChangeAction::kCreate && e.aws_code == "RouteAlreadyExists") {
        c.action = ChangeAction::kReplace;
        again.push_back(batch[k]);
      } else if (c.action == ChangeAction::kReplace && e.aws_code == "InvalidRoute.NotFound" &&
                 options.allow_create) {
        c.action = ChangeAction::kCreate;
        again.push_back(batch[k]);
      } else if (transient(e)) {
        throttled += e.kind == ErrorKind::kThrottled;
        again.push_back(batch[k]);
      } else if (options.syslog) {
        options.syslog(syslog_line(options, r, "failed (" + (e.aws_code.empty() ? std::string(to_string(e.kind)) : e.aws_code) + ")"));
      }
    }
    again.insert(again.end(), later.begin(), later.end());
    pending = std::move(again);
    if (pending.empty()) break;
    milliseconds wait = backoff;
    if (throttled > 0 || allowance > 0) {
      if (allowance == 0) {
        say("EC2 is throttling: sending the remaining " + std::to_string(pending.size()) + " change" +
            (pending.size() == 1 ? "" : "s") + " as fast as it refills...");
        allowance = 1;
      } else {
        allowance = throttled > 0 ? std::max<size_t>(1, succeeded) : allowance + 1;
      }
      wait = std::max(milliseconds{0}, std::chrono::duration_cast<milliseconds>(
                                           round_start + kPaceInterval - clock.now()));
    }
    if (clock.now() + wait >= deadline) {
      for (size_t i : pending) {
        ChangeResult& r = report.results[i];
        if (options.syslog) options.syslog(syslog_line(options, r, "failed (deadline)"));
      }
      break;
    }
    if (allowance == 0) {
      say("retrying " + std::to_string(pending.size()) + " failed change" +
          (pending.size() == 1 ? "" : "s") + "...");
      backoff = std::min(backoff * 2, milliseconds{2000});
    }
    clock.sleep_for(wait);
  }
  client.set_max_attempts(client_attempts);

  // ---- verify: re-read until every applied change is visible ----
  // What was already on the target is verified too: if another operator moved it meanwhile,
  // the switchover has not succeeded, and it is not fought over either.
  std::vector<size_t> kept;
  if (!applied.empty()) {
    for (size_t i = 0; i < report.results.size(); ++i) {
      const Change& c = report.results[i].change;
      if (c.action == ChangeAction::kKeep && c.kind != ChangeKind::kEniAttribute) kept.push_back(i);
    }
  }
  ObserveScope scope;
  scope.nodes = std::any_of(plan.changes.begin(), plan.changes.end(), [](const Change& c) {
    return c.kind == ChangeKind::kEniAttribute;
  });
  std::optional<ObservedState> last;
  if (!applied.empty()) say("verifying...");
  milliseconds delay{150};
  while (!applied.empty()) {
    auto obs = observe(client, config, scope);
    if (obs) {
      std::vector<size_t> still;
      for (size_t i : applied) {
        if (visible(report.results[i].change, *obs)) {
          report.results[i].outcome = Outcome::kChanged;
          report.results[i].time_ms = elapsed_ms();
        } else {
          still.push_back(i);
        }
      }
      applied = std::move(still);
      std::vector<size_t> kept_away;
      for (size_t i : kept)
        if (!visible(report.results[i].change, *obs)) kept_away.push_back(i);
      kept = std::move(kept_away);
      last = std::move(*obs);
    }
    if (applied.empty() && kept.empty()) break;
    if (clock.now() + delay >= deadline) break;
    clock.sleep_for(delay);
    delay = std::min(milliseconds{static_cast<int64_t>(delay.count() * 17 / 10)}, milliseconds{2000});
  }
  for (size_t i : applied) {
    report.results[i].outcome = Outcome::kUnverified;
    if (options.syslog) options.syslog(syslog_line(options, report.results[i], "unverified"));
  }
  for (size_t i : kept) {
    ChangeResult& r = report.results[i];
    r.outcome = Outcome::kFailed;
    r.error = make_error(ErrorKind::kPrecondition, "was on " + plan.target_node +
                                                       " but moved away during the " + options.verb +
                                                       " (another change at the same time?)");
  }

  // ---- report what is where: the last read, or one more read past the deadline ----
  if (!last || !report.complete()) {
    // Within --timeout, or a moment past it: the command's deadline is a promise.
    client.set_deadline(std::max(deadline, clock.now() + milliseconds{800}));
    ObserveScope all;
    if (auto obs = observe(client, config, all)) last = std::move(*obs);
  }
  if (last) fill_after(config, *last, report.results);
  report.elapsed_ms = elapsed_ms();
  return report;
}

}  // namespace ec2rk::cli
