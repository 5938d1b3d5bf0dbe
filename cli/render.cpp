#include "cli/render.h"

#include <ostream>

#include "cli/terminal.h"

namespace ec2rk::cli {
namespace {

using nlohmann::json;

json str_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::string_view kind_name(ChangeKind k) {
  switch (k) {
    case ChangeKind::kRoute: return "route";
    case ChangeKind::kEip: return "eip";
    case ChangeKind::kEniAttribute: return "eni_attribute";
  }
  return "?";
}

std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : "") + v[i];
  return out;
}

// Rows for a table that, when piped, gets the record type as its first column.
std::vector<Cell> row(const Io& io, std::string_view record, std::vector<Cell> cells) {
  if (!io.out_tty) cells.insert(cells.begin(), Cell(std::string(record)));
  return cells;
}

Table table(const Io& io, std::vector<std::string> headers) {
  if (!io.out_tty) headers.insert(headers.begin(), "RECORD");
  return Table(std::move(headers));
}

void emit(const Io& io, const Table& t) { *io.out << t.render(io.out_tty, io.color_out); }

void emit_json(const Io& io, const json& j) { *io.out << j.dump(2) << "\n"; }

Color state_color(const std::string& state) {
  if (state == "active" || state == "associated") return Color::kGreen;
  if (state.empty() || state == "blackhole" || state == "missing" || state == "unassociated")
    return Color::kRed;
  return Color::kYellow;
}

json placement_json(const Placement& p, bool eip) {
  json j = {{"target", str_or_null(p.target)}, {"node", str_or_null(p.node)},
            {"state", str_or_null(p.state)}};
  if (eip) {
    j["private_ip"] = str_or_null(p.private_ip);
    j["association_id"] = str_or_null(p.association_id);
  }
  return j;
}

json permissions_json(const std::vector<PermissionCheck>& ps) {
  json arr = json::array();
  for (const auto& p : ps) {
    arr.push_back({{"action", p.action}, {"resource", p.resource}, {"id", p.id},
                   {"network_interface_id", p.network_interface_id}, {"node", p.node},
                   {"allowed", p.allowed}, {"detail", str_or_null(p.detail)}});
  }
  return arr;
}

void render_permissions(const Io& io, const std::vector<PermissionCheck>& ps) {
  Table t = table(io, {"ACTION", "RESOURCE", "ID", "TARGET", "NODE", "PERMISSION"});
  for (const auto& p : ps) {
    t.add(row(io, "permission",
              {p.action, p.resource, p.id, p.network_interface_id, p.node,
               Cell(p.allowed ? "allowed" : "denied", p.allowed ? Color::kGreen : Color::kRed)}));
  }
  emit(io, t);
}

std::string where_text(const Change& c) {
  switch (c.kind) {
    case ChangeKind::kRoute:
      return c.route_table_id + (c.table_name.empty() ? "" : " (" + c.table_name + ")");
    case ChangeKind::kEip: return c.public_ip.empty() ? c.allocation_id : c.public_ip;
    case ChangeKind::kEniAttribute: return c.eni_id;
  }
  return "";
}

std::string target_text(const Change& c, const std::string& node) {
  if (c.kind == ChangeKind::kEniAttribute) return "source-dest-check=false";
  std::string s = c.target_eni + " (" + node;
  if (!c.target_private_ip.empty()) s += ", " + c.target_private_ip;
  return s + ")";
}

Color action_color(ChangeAction a) {
  switch (a) {
    case ChangeAction::kKeep: return Color::kDim;
    case ChangeAction::kRefuse: return Color::kRed;
    default: return Color::kYellow;
  }
}

Color outcome_color(Outcome o) {
  switch (o) {
    case Outcome::kChanged: return Color::kGreen;
    case Outcome::kUnchanged: return Color::kDim;
    case Outcome::kPlanned: return Color::kYellow;
    default: return Color::kRed;
  }
}

}  // namespace

std::string placement_text(const Placement& p) {
  if (p.target.empty()) return p.state.empty() ? "none" : p.state;
  std::vector<std::string> extra;
  if (!p.node.empty()) extra.push_back(p.node);
  if (!p.private_ip.empty()) extra.push_back(p.private_ip);
  if (!p.state.empty() && p.state != "active" && p.state != "associated") extra.push_back(p.state);
  if (p.node.empty()) extra.push_back("neither node");
  return p.target + " (" + joined(extra, ", ") + ")";
}

// ---- list --------------------------------------------------------------------

json list_json(const Config& config, const ObservedState& state) {
  json routes = json::array();
  for (const auto& r : config.routes) {
    json tables = json::array();
    auto it = state.routes.find(r.name);
    if (it != state.routes.end()) {
      for (const auto& t : it->second.tables) {
        const ec2api::Route* route = find_route(t, r);
        json jt = {{"route_table_id", t.route_table_id},
                   {"name", str_or_null(ec2api::tag_value(t.tags, "Name"))},
                   {"associations", table_associations(t)},
                   {"target", nullptr}, {"state", "missing"}, {"node", nullptr}};
        if (route != nullptr) {
          jt["target"] = str_or_null(route_target(*route));
          jt["state"] = route->state;
          jt["node"] = str_or_null(node_of_route(config, state, r, *route).value_or(""));
        }
        tables.push_back(jt);
      }
    }
    routes.push_back({{"name", r.name}, {"vpc_id", r.vpc_id}, {"destination", r.destination},
                      {"network_interfaces", r.eni}, {"tables", tables}});
  }
  json eips = json::array();
  for (const auto& e : config.eips) {
    json je = {{"name", e.name}, {"allocation_id", e.allocation_id}, {"network_interfaces", e.eni},
               {"public_ip", nullptr}, {"association_id", nullptr}, {"network_interface_id", nullptr},
               {"private_ip", nullptr}, {"node", nullptr}};
    auto it = state.eips.find(e.name);
    if (it != state.eips.end() && it->second) {
      const auto& a = *it->second;
      je["public_ip"] = str_or_null(a.public_ip);
      je["association_id"] = str_or_null(a.association_id);
      je["network_interface_id"] = str_or_null(a.network_interface_id);
      je["private_ip"] = str_or_null(a.private_ip_address);
      je["node"] = str_or_null(node_of_eni(config, state, e.eni, a.network_interface_id).value_or(""));
    }
    eips.push_back(je);
  }
  return {{"routes", routes}, {"eips", eips}};
}

void render_list(const Io& io, OutputFormat format, const Config& config, const ObservedState& state) {
  json j = list_json(config, state);
  if (format == OutputFormat::kJson) return emit_json(io, j);
  if (!j["routes"].empty()) {
    Table t = table(io, {"ROUTE", "DESTINATION", "TABLE", "NAME", "ASSOCIATIONS", "TARGET", "STATE", "NODE"});
    for (const auto& r : j["routes"]) {
      if (r["tables"].empty()) {
        t.add(row(io, "route", {r["name"].get<std::string>(), r["destination"].get<std::string>(), "", "",
                                "", "", Cell("no table holds it", Color::kRed), ""}));
      }
      for (const auto& tb : r["tables"]) {
        auto s = [](const json& v) { return v.is_null() ? std::string() : v.get<std::string>(); };
        std::vector<std::string> assoc = tb["associations"];
        std::string state_text = s(tb["state"]);
        t.add(row(io, "route", {s(r["name"]), s(r["destination"]), s(tb["route_table_id"]), s(tb["name"]),
                                joined(assoc, ","), s(tb["target"]), Cell(state_text, state_color(state_text)),
                                Cell(s(tb["node"]).empty() ? "neither" : s(tb["node"]),
                                     s(tb["node"]).empty() ? Color::kRed : Color::kNone)}));
      }
    }
    emit(io, t);
  }
  if (!j["eips"].empty()) {
    if (!j["routes"].empty() && io.out_tty) *io.out << "\n";
    Table t = table(io, {"ELASTIC IP", "PUBLIC IP", "ALLOCATION", "ENI", "PRIVATE IP", "NODE"});
    for (const auto& e : j["eips"]) {
      auto s = [](const json& v) { return v.is_null() ? std::string() : v.get<std::string>(); };
      bool associated = !e["association_id"].is_null();
      std::string node = s(e["node"]);
      t.add(row(io, "eip", {s(e["name"]), s(e["public_ip"]), s(e["allocation_id"]),
                            associated ? Cell(s(e["network_interface_id"])) : Cell("unassociated", Color::kRed),
                            s(e["private_ip"]),
                            Cell(node.empty() ? (associated ? "neither" : "") : node,
                                 node.empty() ? Color::kRed : Color::kNone)}));
    }
    emit(io, t);
  }
}

// ---- check -------------------------------------------------------------------

json check_json(const Assessment& a, const std::vector<PermissionCheck>* permissions) {
  json resources = json::array();
  for (const auto& r : a.resources) {
    json rows = json::array();
    for (const auto& p : r.rows) {
      rows.push_back({{"id", p.id}, {"target", str_or_null(p.target)}, {"node", str_or_null(p.node)},
                      {"state", p.state}});
    }
    resources.push_back({{"name", r.name}, {"kind", kind_name(r.kind)}, {"holder", str_or_null(r.holder)},
                         {"healthy", r.healthy}, {"problems", r.problems}, {"placements", rows}});
  }
  json pre = json::array();
  for (const auto& p : a.preconditions) {
    pre.push_back({{"node", p.node}, {"subject", p.subject}, {"check", p.check}, {"ok", p.ok},
                   {"detail", p.detail}});
  }
  bool denied = false;
  if (permissions)
    for (const auto& p : *permissions) denied |= !p.allowed;
  return {{"status", a.healthy() && !denied ? "healthy" : "drift"},
          {"expected_node", str_or_null(a.expected_node)},
          {"resources", resources},
          {"preconditions", pre},
          {"permissions_checked", permissions != nullptr},
          {"permissions", permissions ? permissions_json(*permissions) : json::array()}};
}

void render_check(const Io& io, OutputFormat format, const Assessment& a,
                  const std::vector<PermissionCheck>* permissions) {
  if (format == OutputFormat::kJson) return emit_json(io, check_json(a, permissions));
  Table t = table(io, {"RESOURCE", "KIND", "HOLDER", "STATUS", "DETAIL"});
  for (const auto& r : a.resources) {
    std::string detail;
    if (r.healthy) {
      std::string target = r.rows.empty() ? "" : r.rows.front().target;
      detail = r.kind == ChangeKind::kRoute
                   ? std::to_string(r.rows.size()) + (r.rows.size() == 1 ? " table" : " tables") + " -> " + target
                   : r.rows.front().id + " -> " + target;
    } else {
      detail = joined(r.problems, "; ");
    }
    t.add(row(io, "resource", {r.name, std::string(kind_name(r.kind)), r.holder.empty() ? "none" : r.holder,
                               Cell(r.healthy ? "ok" : "drift", r.healthy ? Color::kGreen : Color::kRed),
                               detail}));
  }
  emit(io, t);
  if (!a.preconditions.empty()) {
    if (io.out_tty) *io.out << "\n";
    Table p = table(io, {"NODE", "PRECONDITION", "SUBJECT", "STATUS", "SEEN"});
    for (const auto& c : a.preconditions) {
      p.add(row(io, "precondition", {c.node, c.check, c.subject,
                                     Cell(c.ok ? "ok" : "failed", c.ok ? Color::kGreen : Color::kRed),
                                     c.detail}));
    }
    emit(io, p);
  }
  size_t denied = 0;
  if (permissions) {
    if (io.out_tty) *io.out << "\n";
    render_permissions(io, *permissions);
    for (const auto& p : *permissions) denied += !p.allowed;
  }
  // The verdict line, in words a tired operator can act on.
  size_t bad_resources = 0, bad_pre = 0;
  for (const auto& r : a.resources) bad_resources += !r.healthy;
  for (const auto& p : a.preconditions) bad_pre += !p.ok;
  std::string verdict;
  if (bad_resources == 0 && bad_pre == 0 && denied == 0) {
    if (!a.expected_node.empty()) {
      verdict = "healthy: every resource is on " + a.expected_node;
    } else {
      std::vector<std::string> holders;
      for (const auto& r : a.resources)
        if (std::find(holders.begin(), holders.end(), r.holder) == holders.end()) holders.push_back(r.holder);
      verdict = holders.size() == 1 ? "healthy: every resource is on " + holders.front()
                                    : "healthy: every resource is held by one node";
    }
    verdict = paint(io.color_out, Color::kGreen, verdict);
  } else {
    std::vector<std::string> parts;
    if (bad_resources)
      parts.push_back(std::to_string(bad_resources) + (bad_resources == 1 ? " resource" : " resources") +
                      (a.expected_node.empty() ? " not held by one node" : " not on " + a.expected_node));
    if (bad_pre) parts.push_back(std::to_string(bad_pre) + (bad_pre == 1 ? " precondition" : " preconditions") + " unmet");
    if (denied) parts.push_back(std::to_string(denied) + (denied == 1 ? " call" : " calls") + " denied");
    verdict = paint(io.color_out, Color::kRed, "drift: " + joined(parts, ", "));
  }
  if (io.out_tty) *io.out << "\n" << verdict << "\n";
}

// ---- switchover / repair -------------------------------------------------------

void render_plan(const Io& io, const Plan& plan) {
  Table t = table(io, {"RESOURCE", "WHERE", "NOW", "ACTION", "TO", "WHY"});
  for (const auto& c : plan.changes) {
    t.add(row(io, "plan", {c.resource, where_text(c), placement_text(c.before),
                           Cell(std::string(to_string(c.action)), action_color(c.action)),
                           c.action == ChangeAction::kKeep || c.action == ChangeAction::kRefuse
                               ? Cell("")
                               : Cell(target_text(c, plan.target_node)),
                           c.reason}));
  }
  emit(io, t);
  for (const auto& f : plan.findings) {
    std::string label = f.severity == Severity::kRefusal ? "refused" : "warning";
    *io.out << paint(io.color_out, f.severity == Severity::kRefusal ? Color::kRed : Color::kYellow, label)
            << ": " << f.subject << ": " << f.message << "\n";
  }
}

json report_json(std::string_view command, const Report& report, std::string_view status, bool dry_run,
                 const std::vector<PermissionCheck>* permissions) {
  json changes = json::array();
  for (const auto& r : report.results) {
    const Change& c = r.change;
    bool eip = c.kind == ChangeKind::kEip;
    json e = nullptr;
    if (r.error && r.outcome == Outcome::kFailed) {
      e = {{"kind", std::string(to_string(r.error->kind))}, {"code", str_or_null(r.error->aws_code)},
           {"message", r.error->message}, {"request_id", str_or_null(r.error->request_id)}};
    }
    changes.push_back({{"resource", c.resource},
                       {"kind", kind_name(c.kind)},
                       {"route_table_id", str_or_null(c.route_table_id)},
                       {"table_name", str_or_null(c.table_name)},
                       {"destination", str_or_null(c.destination)},
                       {"allocation_id", str_or_null(c.allocation_id)},
                       {"public_ip", str_or_null(c.public_ip)},
                       {"network_interface_id", str_or_null(c.eni_id)},
                       {"action", std::string(to_string(c.action))},
                       {"reason", c.reason},
                       {"target_network_interface_id", str_or_null(c.target_eni)},
                       {"target_private_ip", str_or_null(c.target_private_ip)},
                       {"before", placement_json(c.before, eip)},
                       {"after", placement_json(r.after, eip)},
                       {"outcome", std::string(to_string(r.outcome))},
                       {"time_ms", r.time_ms},
                       {"request_id", str_or_null(r.request_id)},
                       {"association_id", str_or_null(r.association_id)},
                       {"error", e}});
  }
  json findings = json::array();
  for (const auto& f : report.findings) {
    findings.push_back({{"severity", f.severity == Severity::kRefusal ? "refusal" : "warning"},
                        {"subject", f.subject}, {"message", f.message}});
  }
  return {{"command", std::string(command)},
          {"target_node", report.target_node},
          {"dry_run", dry_run},
          {"status", std::string(status)},
          {"elapsed_ms", report.elapsed_ms},
          {"changes", changes},
          {"findings", findings},
          {"permissions", permissions ? permissions_json(*permissions) : json::array()}};
}

void render_report(const Io& io, OutputFormat format, std::string_view command, const Report& report,
                   std::string_view status, bool dry_run,
                   const std::vector<PermissionCheck>* permissions) {
  if (format == OutputFormat::kJson) {
    return emit_json(io, report_json(command, report, status, dry_run, permissions));
  }
  if (status == "planned" || status == "refused" || status == "aborted") {
    // Nothing was sent: the plan is the report.
    if (permissions && !permissions->empty()) {
      if (io.out_tty) *io.out << "\n";
      render_permissions(io, *permissions);
    }
    return;
  }
  Table t = table(io, {"RESOURCE", "WHERE", "BEFORE", "AFTER", "OUTCOME", "TIME", "REQUEST ID"});
  size_t changed = 0, unchanged = 0, failed = 0;
  std::vector<std::string> failures;
  for (const auto& r : report.results) {
    const Change& c = r.change;
    bool mutated = c.mutates();
    changed += r.outcome == Outcome::kChanged;
    unchanged += r.outcome == Outcome::kUnchanged;
    if (r.outcome == Outcome::kFailed || r.outcome == Outcome::kUnverified) {
      ++failed;
      std::string why = r.outcome == Outcome::kUnverified ? "not visible before the deadline"
                        : r.error ? r.error->describe()
                                  : "failed";
      failures.push_back(c.resource + " " + where_text(c) + ": " + why);
    }
    t.add(row(io, "change", {c.resource, where_text(c), placement_text(c.before), placement_text(r.after),
                             Cell(std::string(to_string(r.outcome)), outcome_color(r.outcome)),
                             mutated ? std::to_string(r.time_ms) + " ms" : "", r.request_id}));
  }
  emit(io, t);
  for (const auto& f : report.findings) {
    if (f.severity == Severity::kWarning)
      *io.out << paint(io.color_out, Color::kYellow, "warning") << ": " << f.subject << ": " << f.message << "\n";
  }
  if (!io.out_tty) return;
  std::string summary = std::string(command) + " to " + report.target_node + ": " + std::to_string(changed) +
                        " changed, " + std::to_string(unchanged) + " unchanged";
  if (failed) summary += ", " + std::to_string(failed) + " NOT DONE";
  summary += " in " + std::to_string(report.elapsed_ms) + " ms";
  *io.out << "\n" << paint(io.color_out, failed ? Color::kRed : Color::kGreen, summary) << "\n";
  for (const auto& f : failures) *io.out << "  " << f << "\n";
}

}  // namespace ec2rk::cli
