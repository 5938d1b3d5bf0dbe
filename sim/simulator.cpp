#include "sim/simulator.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>

#include "sim/filters.h"
#include "sim/params.h"
#include "sim/xml_writer.h"

namespace ec2rk::sim {
namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng();
  uint64_t b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

const std::string* find_header(const sigv4::Request& req, std::string_view name) {
  for (const auto& h : req.headers) {
    if (h.name.size() == name.size() &&
        std::equal(h.name.begin(), h.name.end(), name.begin(), [](char x, char y) {
          return std::tolower(static_cast<unsigned char>(x)) ==
                 std::tolower(static_cast<unsigned char>(y));
        })) {
      return &h.value;
    }
  }
  return nullptr;
}

Json ec2rk_json(const Ec2rkSection& s) {
  Json out;
  Json nodes = Json::object();
  for (const auto& n : s.nodes) nodes[n.name] = n.instance_id;
  out["nodes"] = nodes;
  Json routes = Json::object();
  for (const auto& r : s.routes) {
    Json eni = Json::object();
    for (const auto& [node, id] : r.eni) eni[node] = id;
    routes[r.name] = {{"vpc_id", r.vpc_id}, {"destination", r.destination}, {"eni", eni}};
  }
  out["routes"] = routes;
  Json eips = Json::object();
  for (const auto& e : s.eips) {
    Json eni = Json::object();
    for (const auto& [node, id] : e.eni) eni[node] = id;
    Json ips = Json::object();
    for (const auto& [node, ip] : e.private_ip) ips[node] = ip;
    eips[e.name] = {{"allocation_id", e.allocation_id}, {"eni", eni}, {"private_ip", ips}};
  }
  out["eips"] = eips;
  return out;
}

}  // namespace

std::string http_date(int64_t unix_s) {
  std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string iso8601(int64_t unix_s) {
  std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Simulator::Simulator(Scenario scenario, FaultConfig faults, const Clock& clock)
    : initial_(std::move(scenario)),
      faults_(std::move(faults)),
      clock_(clock),
      throttle_(faults_.throttle, clock),
      dice_(faults_.seed),
      state_(initial_.state) {
  for (const auto& c : initial_.credentials) {
    credentials_.add_long_term(c.access_key_id, c.secret_access_key,
                               "arn:aws:iam::" + initial_.state.account_id + ":user/ec2rk-sim");
  }
}

HttpResponse Simulator::error(HttpResponse r, const Ec2Error& e) const {
  r.status = e.status;
  r.error_code = e.code;
  r.body = error_xml(e.code, e.message, r.request_id);
  return r;
}

std::string Simulator::unauthorized_message(const std::string& principal, std::string_view action,
                                            const std::string& resource_id) const {
  std::string arn = resource_arn(initial_.state, resource_id);
  std::string act = "ec2:" + std::string(action);
  // A real encoded message is opaque (decoded with sts:DecodeAuthorizationMessage); this one
  // is plain base64 of what it stands for.
  return "You are not authorized to perform this operation. User: " + principal +
         " is not authorized to perform: " + act + " on resource: " + arn +
         " because no identity-based policy allows the " + act +
         " action. Encoded authorization failure message: " +
         base64("ec2rk-sim denied " + act + " on " + arn);
}

HttpResponse Simulator::handle_ec2(const sigv4::Request& req) {
  HttpResponse r;
  r.request_id = new_request_id();
  r.delay_ms = faults_.latency_ms;
  r.headers.emplace_back("x-amzn-RequestId", r.request_id);
  r.headers.emplace_back("Server", "AmazonEC2");
  if (dice_.roll(faults_.drop_rate)) {
    r.drop = true;
    r.error_code = "(dropped)";
    return r;
  }

  ParamPairs pairs = parse_form(query_of(req.target));
  const std::string* content_type = find_header(req, "Content-Type");
  if (!req.body.empty() &&
      (!content_type || content_type->find("x-www-form-urlencoded") != std::string::npos)) {
    ParamPairs body = parse_form(req.body);
    pairs.insert(pairs.end(), body.begin(), body.end());
  }
  Params params(pairs);
  r.action = params.value("Action");

  AuthResult auth = verify_request(req, credentials_, initial_.state.region, now_s());
  if (auth.error) {
    r.reason = auth.reason;
    return error(std::move(r), auth.error);
  }
  if (r.action.empty()) {
    return error(std::move(r),
                 ec2_error("MissingAction", "The request must contain the parameter Action"));
  }
  const ActionSpec* spec = find_action(r.action);
  if (!spec) {
    return error(std::move(r),
                 ec2_error("InvalidAction",
                           "The action " + r.action + " is not valid for this web service."));
  }
  if (!throttle_.allow(spec->name, spec->mutating, params)) {
    return error(std::move(r), ec2_error("RequestLimitExceeded", "Request limit exceeded."));
  }
  if (dice_.roll(faults_.error_rate)) {
    if (dice_.pick(2) == 0)
      return error(std::move(r), ec2_error("InternalError", "An internal error has occurred."));
    return error(std::move(r), ec2_error("Unavailable",
                                         "The server is overloaded and can't handle the request."));
  }
  if (Ec2Error e = check_known_params(*spec, params)) return error(std::move(r), e);
  bool valid = true;
  bool dry_run = params.get_bool("DryRun", valid).value_or(false);
  if (!valid) return error(std::move(r), invalid_value("DryRun", params.value("DryRun"), ""));

  std::string resource_id = spec->resource_param.empty() ? "" : params.value(spec->resource_param);
  const FailRule* rule = match_fail_rule(faults_.fail, spec->name, params);
  bool denied = std::find(initial_.denied_actions.begin(), initial_.denied_actions.end(),
                          spec->name) != initial_.denied_actions.end();
  if (rule || denied) {
    if (rule && !rule->resource_id.empty()) resource_id = rule->resource_id;
    r.reason =
        rule ? "--fail " + rule->action + (rule->resource_id.empty() ? "" : ":" + rule->resource_id)
             : "denied_actions";
    return error(std::move(r),
                 ec2_error("UnauthorizedOperation",
                           unauthorized_message(auth.principal_arn, spec->name, resource_id)));
  }
  if (dry_run) {
    return error(std::move(r), ec2_error("DryRunOperation",
                                         "Request would have succeeded, but DryRun flag is set."));
  }

  ActionContext ctx{r.request_id, clock_.now_ms()};
  ActionResult result;
  if (spec->mutating) {
    std::unique_lock lock(mu_);
    std::shared_ptr<const State> before;
    if (faults_.stale_ms > 0) before = std::make_shared<const State>(state_);
    result = spec->write(state_, params, ctx);
    if (!result.error) {
      if (before) {
        int64_t horizon = ctx.now_ms - faults_.stale_ms;
        while (!history_.empty() && history_.front().first <= horizon) history_.pop_front();
        history_.emplace_back(ctx.now_ms, std::move(before));
      }
      for (auto& e : result.events) events_.emplace_back(next_seq_++, std::move(e));
    }
  } else {
    std::shared_lock lock(mu_);
    const State* view = &state_;
    if (faults_.stale_ms > 0) {
      // Eventual consistency: a read sees the state as it was stale_ms ago, i.e. from before
      // the earliest write that is younger than that.
      int64_t horizon = ctx.now_ms - faults_.stale_ms;
      for (const auto& [when, snapshot] : history_) {
        if (when > horizon) {
          view = snapshot.get();
          break;
        }
      }
    }
    result = spec->read(*view, params, ctx);
  }
  if (result.error) return error(std::move(r), result.error);
  r.body = std::move(result.xml);
  return r;
}

Json Simulator::state_json() const {
  Json out;
  out["name"] = initial_.name;
  out["now_ms"] = clock_.now_ms();
  out["clock_skew_s"] = faults_.clock_skew_s;
  out["denied_actions"] = initial_.denied_actions;
  out["ec2rk"] = ec2rk_json(initial_.ec2rk);
  Json state;
  {
    std::shared_lock lock(mu_);
    state = state_to_json(state_);
  }
  for (auto& [key, value] : state.items()) out[key] = std::move(value);
  return out;
}

Json Simulator::events_json(uint64_t since) const {
  Json list = Json::array();
  std::shared_lock lock(mu_);
  for (const auto& [seq, e] : events_) {
    if (seq <= since) continue;
    Json j = {{"seq", seq}, {"time_ms", e.time_ms}, {"type", e.type}};
    for (auto& [key, value] : e.detail.items()) j[key] = value;
    list.push_back(std::move(j));
  }
  return Json{{"events", list}};
}

void Simulator::reset() {
  {
    std::unique_lock lock(mu_);
    state_ = initial_.state;
    history_.clear();
    events_.clear();
    events_.emplace_back(next_seq_++, Event{clock_.now_ms(), "reset", Json::object()});
  }
  throttle_.reset();
}

State Simulator::current_state() const {
  std::shared_lock lock(mu_);
  return state_;
}

TemporaryCredentials Simulator::instance_credentials(const std::string& instance_id,
                                                     const std::string& role, int64_t ttl_s) {
  std::lock_guard<std::mutex> lock(creds_mu_);
  int64_t now = now_s();
  auto it = instance_creds_.find(instance_id);
  int64_t refresh_margin = std::min<int64_t>(300, ttl_s / 2);
  if (it != instance_creds_.end() && it->second.expires_at_s - now > refresh_margin)
    return it->second;
  std::string principal =
      "arn:aws:sts::" + initial_.state.account_id + ":assumed-role/" + role + "/" + instance_id;
  TemporaryCredentials c = credentials_.issue_temporary(principal, now, ttl_s);
  instance_creds_[instance_id] = c;
  return c;
}

}  // namespace ec2rk::sim
