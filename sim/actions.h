// The EC2 actions the simulator implements, one handler each, dispatched through a table keyed
// by the Action parameter. Handlers are pure functions of (State, Params): reads take a const
// State (possibly a stale snapshot), writes mutate it and report what changed as events. No
// sockets, no clocks, no locks here: the Simulator (sim/simulator.h) supplies all three.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ec2_error.h"
#include "sim/params.h"
#include "sim/state.h"

namespace ec2rk::sim {

// One change to the state, for GET /_sim/events.
struct Event {
  int64_t time_ms = 0;  // wall clock, ms since the epoch (not skewed)
  std::string type;     // route_created|route_replaced|route_deleted|address_associated|...
  Json detail;          // resource ids plus "before"/"after"
};

struct ActionContext {
  std::string request_id;
  int64_t now_ms = 0;
};

struct ActionResult {
  Ec2Error error;             // set: the call failed, `xml` is empty
  std::string xml;            // the success body
  std::vector<Event> events;  // writes only
};

// A failed call: the error, no body, no events.
inline ActionResult failed(Ec2Error e) {
  ActionResult r;
  r.error = std::move(e);
  return r;
}

using ReadHandler = ActionResult (*)(const State&, const Params&, const ActionContext&);
using WriteHandler = ActionResult (*)(State&, const Params&, const ActionContext&);

struct ActionSpec {
  std::string_view name;
  bool mutating = false;
  // Accepted parameter shapes (see param_shape) besides Action, Version and DryRun.
  std::vector<std::string_view> params;
  ReadHandler read = nullptr;    // set for non-mutating actions
  WriteHandler write = nullptr;  // set for mutating actions
  // The parameter naming the resource an UnauthorizedOperation message cites ("" = "*").
  std::string_view resource_param;
};

const std::vector<ActionSpec>& action_table();
const ActionSpec* find_action(std::string_view name);

// UnknownParameter for the first parameter the action does not take (EC2 rejects those, which
// catches client typos such as AllowReassignment).
Ec2Error check_known_params(const ActionSpec& spec, const Params& params);

// arn:aws:ec2:<region>:<account>:<type>/<id> for an id by its prefix; "*" for "".
std::string resource_arn(const State& state, std::string_view id);

// The individual handlers (exposed for unit tests; dispatch goes through action_table()).
ActionResult describe_route_tables(const State&, const Params&, const ActionContext&);
ActionResult describe_addresses(const State&, const Params&, const ActionContext&);
ActionResult describe_network_interfaces(const State&, const Params&, const ActionContext&);
ActionResult describe_instances(const State&, const Params&, const ActionContext&);
ActionResult describe_vpcs(const State&, const Params&, const ActionContext&);
ActionResult describe_subnets(const State&, const Params&, const ActionContext&);
ActionResult create_route(State&, const Params&, const ActionContext&);
ActionResult replace_route(State&, const Params&, const ActionContext&);
ActionResult delete_route(State&, const Params&, const ActionContext&);
ActionResult associate_address(State&, const Params&, const ActionContext&);
ActionResult disassociate_address(State&, const Params&, const ActionContext&);
ActionResult modify_network_interface_attribute(State&, const Params&, const ActionContext&);
ActionResult stop_instances(State&, const Params&, const ActionContext&);
ActionResult start_instances(State&, const Params&, const ActionContext&);

}  // namespace ec2rk::sim
