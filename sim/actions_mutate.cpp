// The mutating actions: CreateRoute, ReplaceRoute, DeleteRoute, AssociateAddress,
// DisassociateAddress, ModifyNetworkInterfaceAttribute, StopInstances, StartInstances.
// Each validates everything before changing anything, so a failed call leaves the state alone.
#include <algorithm>

#include "sim/actions.h"
#include "sim/xml_writer.h"

namespace ec2rk::sim {
namespace {

std::string return_true(std::string_view action, const ActionContext& ctx) {
  XmlWriter w(action, ctx.request_id);
  w.leaf("return", true);
  return w.finish();
}

Event event(const ActionContext& ctx, std::string type, Json detail) {
  detail["request_id"] = ctx.request_id;
  return Event{ctx.now_ms, std::move(type), std::move(detail)};
}

Json route_target_json(const State& s, const Route& r) {
  Json j = Json::object();
  if (!r.gateway_id.empty()) j["gateway_id"] = r.gateway_id;
  if (!r.nat_gateway_id.empty()) j["nat_gateway_id"] = r.nat_gateway_id;
  if (!r.network_interface_id.empty()) {
    j["network_interface_id"] = r.network_interface_id;
    std::string inst = s.route_instance_id(r);
    if (!inst.empty()) j["instance_id"] = inst;
  }
  j["state"] = s.route_state(r);
  return j;
}

Json association_json(const State& s, const Address& a) {
  if (a.association_id.empty()) return nullptr;
  Json j = {{"association_id", a.association_id},
            {"network_interface_id", a.network_interface_id},
            {"private_ip", a.private_ip}};
  const NetworkInterface* e = s.eni(a.network_interface_id);
  if (e && e->attachment) j["instance_id"] = e->attachment->instance_id;
  return j;
}

// "Invalid id: "x" (expecting "rtb-...")" when an id lacks its prefix.
Ec2Error malformed(std::string_view code, std::string_view id, std::string_view prefix) {
  return ec2_error(std::string(code), "Invalid id: \"" + std::string(id) + "\" (expecting \"" +
                                          std::string(prefix) + "...\")");
}

bool has_prefix(std::string_view id, std::string_view prefix) {
  return id.size() > prefix.size() && id.substr(0, prefix.size()) == prefix;
}

// RouteTableId: present, well-formed, existing.
Ec2Error find_route_table(State& s, const Params& p, RouteTable** out) {
  const std::string* id = p.get("RouteTableId");
  if (!id || id->empty()) return missing_parameter("routeTableId");
  if (!has_prefix(*id, "rtb-")) return malformed("InvalidRouteTableId.Malformed", *id, "rtb-");
  *out = s.route_table(*id);
  if (!*out) return not_found("InvalidRouteTableID.NotFound", "routeTable", *id);
  return {};
}

Ec2Error destination_of(const Params& p, std::string* out) {
  if (p.has("DestinationIpv6CidrBlock") || p.has("DestinationPrefixListId")) {
    return ec2_error("InvalidParameterValue",
                     "ec2rk-sim supports IPv4 destinations (DestinationCidrBlock) only");
  }
  const std::string* dest = p.get("DestinationCidrBlock");
  if (!dest || dest->empty()) return missing_parameter("destinationCidrBlock");
  auto canonical = canonical_cidr(*dest);
  if (!canonical)
    return invalid_value("destinationCidrBlock", *dest, "This is not a valid CIDR block.");
  *out = *canonical;
  return {};
}

// The one ENI an instance-id target resolves to (EC2 refuses instances with several).
Ec2Error single_eni_of(const State& s, const std::string& instance_id, std::string* eni_id) {
  if (!has_prefix(instance_id, "i-"))
    return malformed("InvalidInstanceID.Malformed", instance_id, "i-");
  if (!s.instance(instance_id))
    return not_found("InvalidInstanceID.NotFound", "instance", instance_id);
  auto enis = s.instance_enis(instance_id);
  if (enis.size() != 1) {
    return ec2_error("InvalidInstanceID",
                     "There are multiple interfaces attached to instance '" + instance_id +
                         "'. Please specify an interface ID for the operation instead.");
  }
  *eni_id = enis.front()->id;
  return {};
}

// Parses the route's target (exactly one) and checks it against the route table's VPC.
Ec2Error target_of(const State& s, const RouteTable& rt, const Params& p, Route* route) {
  static constexpr std::string_view kUnsupported[] = {
      "VpcPeeringConnectionId", "TransitGatewayId", "EgressOnlyInternetGatewayId",
      "LocalGatewayId",         "CarrierGatewayId", "VpcEndpointId",
      "CoreNetworkArn",         "OdbNetworkArn"};
  for (auto name : kUnsupported) {
    if (p.has(name)) {
      return ec2_error("InvalidParameterValue",
                       "ec2rk-sim does not model route target " + std::string(name));
    }
  }
  static constexpr std::string_view kTargets[] = {"NetworkInterfaceId", "InstanceId", "GatewayId",
                                                  "NatGatewayId"};
  std::vector<std::string_view> given;
  for (auto name : kTargets) {
    if (p.has(name)) given.push_back(name);
  }
  if (given.empty()) {
    return ec2_error(
        "InvalidParameterCombination",
        "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId or "
        "instanceId");
  }
  if (given.size() > 1) {
    return ec2_error("InvalidParameterCombination", "The parameter " + std::string(given[0]) +
                                                        " cannot be used with the parameter " +
                                                        std::string(given[1]));
  }
  std::string value = p.value(given[0]);
  if (given[0] == "GatewayId") {
    if (value == "local") {
      route->gateway_id = value;
      return {};
    }
    const InternetGateway* g = s.internet_gateway(value);
    if (!g) return not_found("InvalidGatewayID.NotFound", "gateway", value);
    if (g->vpc_id != rt.vpc_id) {
      return ec2_error("InvalidParameterValue", "route table " + rt.id + " and network gateway " +
                                                    value + " belong to different networks");
    }
    route->gateway_id = value;
    return {};
  }
  if (given[0] == "NatGatewayId") {
    if (!has_prefix(value, "nat-"))
      return malformed("InvalidNatGatewayID.Malformed", value, "nat-");
    route->nat_gateway_id = value;
    return {};
  }
  std::string eni_id = value;
  if (given[0] == "InstanceId") {
    if (Ec2Error e = single_eni_of(s, value, &eni_id)) return e;
  } else if (!has_prefix(value, "eni-")) {
    return malformed("InvalidNetworkInterfaceID.Malformed", value, "eni-");
  }
  const NetworkInterface* e = s.eni(eni_id);
  if (!e) return not_found("InvalidNetworkInterfaceID.NotFound", "networkInterface", eni_id);
  if (s.eni_vpc_id(*e) != rt.vpc_id) {
    return ec2_error("InvalidParameterValue", "route table " + rt.id + " and interface " + eni_id +
                                                  " belong to different networks");
  }
  route->network_interface_id = eni_id;
  return {};
}

Route* find_route(RouteTable& rt, std::string_view destination) {
  for (auto& r : rt.routes) {
    if (r.destination == destination) return &r;
  }
  return nullptr;
}

Ec2Error find_eni(State& s, const Params& p, NetworkInterface** out) {
  const std::string* id = p.get("NetworkInterfaceId");
  if (!id || id->empty()) return missing_parameter("networkInterfaceId");
  if (!has_prefix(*id, "eni-"))
    return malformed("InvalidNetworkInterfaceID.Malformed", *id, "eni-");
  *out = s.eni(*id);
  if (!*out) return not_found("InvalidNetworkInterfaceID.NotFound", "networkInterface", *id);
  return {};
}

ActionResult set_instance_states(State& s, const Params& p, const ActionContext& ctx,
                                 std::string_view action, std::string_view to) {
  std::vector<std::string> ids = p.list("InstanceId");
  if (ids.empty()) return failed(missing_parameter("InstanceId"));
  for (const auto& id : ids) {
    if (!has_prefix(id, "i-")) return failed(malformed("InvalidInstanceID.Malformed", id, "i-"));
    if (!s.instance(id)) return failed(not_found("InvalidInstanceID.NotFound", "instance", id));
  }
  ActionResult r;
  XmlWriter w(action, ctx.request_id);
  w.open("instancesSet");
  for (const auto& id : ids) {
    Instance* in = s.instance(id);
    std::string before = in->state;
    // Transitions are instant: the simulator has no pending/stopping phase.
    in->state = std::string(to);
    w.open("item");
    w.leaf("instanceId", id);
    w.open("currentState");
    w.leaf("code", instance_state_code(in->state));
    w.leaf("name", in->state);
    w.close();
    w.open("previousState");
    w.leaf("code", instance_state_code(before));
    w.leaf("name", before);
    w.close();
    w.close();
    r.events.push_back(event(ctx, to == "running" ? "instance_started" : "instance_stopped",
                             {{"instance_id", id}, {"before", before}, {"after", in->state}}));
  }
  w.close();
  r.xml = w.finish();
  return r;
}

}  // namespace

ActionResult create_route(State& s, const Params& p, const ActionContext& ctx) {
  RouteTable* rt = nullptr;
  if (Ec2Error e = find_route_table(s, p, &rt)) return failed(std::move(e));
  Route route;
  if (Ec2Error e = destination_of(p, &route.destination)) return failed(std::move(e));
  if (Ec2Error e = target_of(s, *rt, p, &route)) return failed(std::move(e));
  if (find_route(*rt, route.destination)) {
    return failed(ec2_error("RouteAlreadyExists",
                            "The route identified by " + route.destination + " already exists."));
  }
  route.origin = "CreateRoute";
  rt->routes.push_back(route);
  ActionResult r;
  r.xml = return_true("CreateRoute", ctx);
  r.events.push_back(event(ctx, "route_created",
                           {{"route_table_id", rt->id},
                            {"destination", route.destination},
                            {"before", nullptr},
                            {"after", route_target_json(s, route)}}));
  return r;
}

ActionResult replace_route(State& s, const Params& p, const ActionContext& ctx) {
  RouteTable* rt = nullptr;
  if (Ec2Error e = find_route_table(s, p, &rt)) return failed(std::move(e));
  Route wanted;
  if (Ec2Error e = destination_of(p, &wanted.destination)) return failed(std::move(e));
  bool local_target = false;
  bool valid = true;
  if (auto lt = p.get_bool("LocalTarget", valid); lt && *lt) local_target = true;
  if (!valid) return failed(invalid_value("LocalTarget", p.value("LocalTarget"), ""));
  if (local_target) {
    wanted.gateway_id = "local";
  } else if (Ec2Error e = target_of(s, *rt, p, &wanted)) {
    return failed(std::move(e));
  }
  Route* existing = find_route(*rt, wanted.destination);
  if (!existing) {
    // The text EC2 itself returns (../shared/testdata/ec2-xml/error-InvalidParameterValue.xml).
    return failed(
        ec2_error("InvalidParameterValue", "There is no route defined for '" + wanted.destination +
                                               "' in the route table. Use CreateRoute instead."));
  }
  if (existing->origin == "CreateRouteTable" && !local_target) {
    return failed(ec2_error(
        "InvalidParameterValue",
        "cannot replace local route " + wanted.destination + " in route table " + rt->id));
  }
  Json before = route_target_json(s, *existing);
  std::string origin = existing->origin;
  *existing = wanted;
  existing->origin = origin == "CreateRouteTable" ? origin : "CreateRoute";
  ActionResult r;
  r.xml = return_true("ReplaceRoute", ctx);
  r.events.push_back(event(ctx, "route_replaced",
                           {{"route_table_id", rt->id},
                            {"destination", wanted.destination},
                            {"before", before},
                            {"after", route_target_json(s, *existing)}}));
  return r;
}

ActionResult delete_route(State& s, const Params& p, const ActionContext& ctx) {
  RouteTable* rt = nullptr;
  if (Ec2Error e = find_route_table(s, p, &rt)) return failed(std::move(e));
  std::string destination;
  if (Ec2Error e = destination_of(p, &destination)) return failed(std::move(e));
  auto it = std::find_if(rt->routes.begin(), rt->routes.end(),
                         [&](const Route& r) { return r.destination == destination; });
  if (it == rt->routes.end()) {
    return failed(ec2_error(
        "InvalidRoute.NotFound",
        "no route with destination-cidr-block " + destination + " in route table " + rt->id));
  }
  if (it->origin == "CreateRouteTable") {
    return failed(ec2_error("InvalidParameterValue", "cannot remove local route " + destination +
                                                         " in route table " + rt->id));
  }
  Json before = route_target_json(s, *it);
  rt->routes.erase(it);
  ActionResult r;
  r.xml = return_true("DeleteRoute", ctx);
  r.events.push_back(event(ctx, "route_deleted",
                           {{"route_table_id", rt->id},
                            {"destination", destination},
                            {"before", before},
                            {"after", nullptr}}));
  return r;
}

ActionResult associate_address(State& s, const Params& p, const ActionContext& ctx) {
  Address* address = nullptr;
  if (const std::string* alloc = p.get("AllocationId"); alloc && !alloc->empty()) {
    if (!has_prefix(*alloc, "eipalloc-"))
      return failed(malformed("InvalidAllocationID.Malformed", *alloc, "eipalloc-"));
    address = s.address_by_allocation(*alloc);
    if (!address) return failed(not_found("InvalidAllocationID.NotFound", "allocation", *alloc));
  } else if (const std::string* ip = p.get("PublicIp"); ip && !ip->empty()) {
    for (auto& a : s.addresses) {
      if (a.public_ip == *ip) address = &a;
    }
    if (!address)
      return failed(ec2_error("InvalidAddress.NotFound", "Address '" + *ip + "' not found."));
  } else {
    return failed(missing_parameter("AllocationId"));
  }
  bool has_eni = p.has("NetworkInterfaceId");
  bool has_instance = p.has("InstanceId");
  if (has_eni && has_instance) {
    return failed(
        ec2_error("InvalidParameterCombination",
                  "You may specify an instance ID or a network interface ID, but not both"));
  }
  if (!has_eni && !has_instance)
    return failed(missing_parameter("instanceId or networkInterfaceId"));
  std::string eni_id;
  if (has_instance) {
    if (Ec2Error e = single_eni_of(s, p.value("InstanceId"), &eni_id)) return failed(std::move(e));
  } else {
    eni_id = p.value("NetworkInterfaceId");
    if (!has_prefix(eni_id, "eni-"))
      return failed(malformed("InvalidNetworkInterfaceID.Malformed", eni_id, "eni-"));
  }
  const NetworkInterface* eni = s.eni(eni_id);
  if (!eni)
    return failed(not_found("InvalidNetworkInterfaceID.NotFound", "networkInterface", eni_id));
  std::string private_ip = p.value("PrivateIpAddress", eni->private_ips.front());
  if (std::find(eni->private_ips.begin(), eni->private_ips.end(), private_ip) ==
      eni->private_ips.end()) {
    return failed(
        invalid_value("privateIpAddress", private_ip,
                      "The address is not assigned to network interface " + eni_id + "."));
  }
  bool valid = true;
  bool allow = p.get_bool("AllowReassociation", valid).value_or(true);
  if (!valid) return failed(invalid_value("AllowReassociation", p.value("AllowReassociation"), ""));
  // Today's EC2 reassociates by default; AllowReassociation=false refuses to move an address
  // that is associated (here: or to displace another address from the target).
  Address* displaced = nullptr;
  for (auto& a : s.addresses) {
    if (&a != address && !a.association_id.empty() && a.network_interface_id == eni_id &&
        a.private_ip == private_ip) {
      displaced = &a;
    }
  }
  if (!allow && !address->association_id.empty()) {
    return failed(
        ec2_error("Resource.AlreadyAssociated", "resource " + address->allocation_id +
                                                    " is already associated with associate-id " +
                                                    address->association_id));
  }
  if (!allow && displaced) {
    return failed(
        ec2_error("Resource.AlreadyAssociated", "resource " + eni_id + " (" + private_ip +
                                                    ") is already associated with associate-id " +
                                                    displaced->association_id));
  }
  ActionResult r;
  if (displaced) {
    Json before = association_json(s, *displaced);
    displaced->association_id.clear();
    displaced->network_interface_id.clear();
    displaced->private_ip.clear();
    r.events.push_back(event(ctx, "address_disassociated",
                             {{"allocation_id", displaced->allocation_id},
                              {"public_ip", displaced->public_ip},
                              {"reason", "displaced by " + address->allocation_id},
                              {"before", before},
                              {"after", nullptr}}));
  }
  // The move is atomic: the address goes from its old association straight to the new one.
  Json before = association_json(s, *address);
  address->association_id = s.generate_id("eipassoc");
  address->network_interface_id = eni_id;
  address->private_ip = private_ip;
  r.events.push_back(event(ctx, "address_associated",
                           {{"allocation_id", address->allocation_id},
                            {"public_ip", address->public_ip},
                            {"before", before},
                            {"after", association_json(s, *address)}}));
  XmlWriter w("AssociateAddress", ctx.request_id);
  w.leaf("return", true);
  w.leaf("associationId", address->association_id);
  r.xml = w.finish();
  return r;
}

ActionResult disassociate_address(State& s, const Params& p, const ActionContext& ctx) {
  Address* address = nullptr;
  if (const std::string* id = p.get("AssociationId"); id && !id->empty()) {
    for (auto& a : s.addresses) {
      if (a.association_id == *id) address = &a;
    }
    if (!address) return failed(not_found("InvalidAssociationID.NotFound", "association", *id));
  } else if (const std::string* ip = p.get("PublicIp"); ip && !ip->empty()) {
    for (auto& a : s.addresses) {
      if (a.public_ip == *ip) address = &a;
    }
    if (!address)
      return failed(ec2_error("InvalidAddress.NotFound", "Address '" + *ip + "' not found."));
    if (address->association_id.empty()) {
      return failed(ec2_error("InvalidAssociationID.NotFound",
                              "The address '" + *ip + "' is not associated"));
    }
  } else {
    return failed(missing_parameter("associationId"));
  }
  Json before = association_json(s, *address);
  address->association_id.clear();
  address->network_interface_id.clear();
  address->private_ip.clear();
  ActionResult r;
  r.xml = return_true("DisassociateAddress", ctx);
  r.events.push_back(event(ctx, "address_disassociated",
                           {{"allocation_id", address->allocation_id},
                            {"public_ip", address->public_ip},
                            {"before", before},
                            {"after", nullptr}}));
  return r;
}

ActionResult modify_network_interface_attribute(State& s, const Params& p,
                                                const ActionContext& ctx) {
  NetworkInterface* eni = nullptr;
  if (Ec2Error e = find_eni(s, p, &eni)) return failed(std::move(e));
  int attributes = p.has("SourceDestCheck.Value") + p.has("Description.Value") +
                   !p.list("SecurityGroupId").empty() +
                   (p.has("Attachment.AttachmentId") || p.has("Attachment.DeleteOnTermination"));
  if (attributes == 0) {
    return failed(missing_parameter("sourceDestCheck, description, groupSet or attachment"));
  }
  if (attributes > 1) {
    return failed(
        ec2_error("InvalidParameterCombination",
                  "Fields for multiple attribute types specified: only one attribute per call"));
  }
  ActionResult r;
  if (p.has("SourceDestCheck.Value")) {
    bool valid = true;
    auto value = p.get_bool("SourceDestCheck.Value", valid);
    if (!valid || !value)
      return failed(invalid_value("SourceDestCheck.Value", p.value("SourceDestCheck.Value"), ""));
    bool before = eni->source_dest_check;
    eni->source_dest_check = *value;
    r.events.push_back(event(ctx, "network_interface_modified",
                             {{"network_interface_id", eni->id},
                              {"attribute", "sourceDestCheck"},
                              {"before", before},
                              {"after", *value}}));
  } else if (p.has("Description.Value")) {
    std::string before = eni->description;
    eni->description = p.value("Description.Value");
    r.events.push_back(event(ctx, "network_interface_modified",
                             {{"network_interface_id", eni->id},
                              {"attribute", "description"},
                              {"before", before},
                              {"after", eni->description}}));
  } else {
    return failed(ec2_error("InvalidParameterValue",
                            "ec2rk-sim models only sourceDestCheck and description"));
  }
  r.xml = return_true("ModifyNetworkInterfaceAttribute", ctx);
  return r;
}

ActionResult stop_instances(State& s, const Params& p, const ActionContext& ctx) {
  return set_instance_states(s, p, ctx, "StopInstances", "stopped");
}

ActionResult start_instances(State& s, const Params& p, const ActionContext& ctx) {
  return set_instance_states(s, p, ctx, "StartInstances", "running");
}

}  // namespace ec2rk::sim
