#include "sim/state.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace ec2rk::sim {
namespace {

// Thrown inside this file only; parse_scenario turns it into a Result.
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ScenarioError(where + ": " + what);
}

void check_keys(const Json& obj, const std::string& where,
                std::initializer_list<std::string_view> allowed) {
  if (!obj.is_object()) fail(where, "must be an object");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      fail(where, "unknown key \"" + it.key() + "\"");
    }
  }
}

std::string str(const Json& obj, const std::string& where, const char* key, bool required,
                std::string fallback = "") {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) fail(where, std::string("missing \"") + key + "\"");
    return fallback;
  }
  if (!it->is_string()) fail(where, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

bool boolean(const Json& obj, const std::string& where, const char* key, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_boolean()) fail(where, std::string("\"") + key + "\" must be true or false");
  return it->get<bool>();
}

const Json& array(const Json& obj, const std::string& where, const char* key) {
  static const Json kEmpty = Json::array();
  auto it = obj.find(key);
  if (it == obj.end()) return kEmpty;
  if (!it->is_array()) fail(where, std::string("\"") + key + "\" must be an array");
  return *it;
}

Tags tags_from(const Json& obj, const std::string& where) {
  Tags tags;
  auto it = obj.find("tags");
  if (it == obj.end()) return tags;
  if (!it->is_object()) fail(where, "\"tags\" must be an object of strings");
  for (auto t = it->begin(); t != it->end(); ++t) {
    if (!t->is_string()) fail(where, "tag \"" + t.key() + "\" must be a string");
    tags.push_back({t.key(), t->get<std::string>()});
  }
  return tags;
}

Json tags_to(const Tags& tags) {
  Json out = Json::object();
  for (const auto& t : tags) out[t.key] = t.value;
  return out;
}

std::vector<std::pair<std::string, std::string>> string_map(const Json& obj,
                                                            const std::string& where,
                                                            const char* key) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = obj.find(key);
  if (it == obj.end()) return out;
  if (!it->is_object()) fail(where, std::string("\"") + key + "\" must be an object of strings");
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (!e->is_string()) fail(where + "." + key, "\"" + e.key() + "\" must be a string");
    out.emplace_back(e.key(), e->get<std::string>());
  }
  return out;
}

template <class T, class F>
const T* find_by(const std::vector<T>& items, std::string_view id, F field) {
  for (const auto& item : items) {
    if (item.*field == id) return &item;
  }
  return nullptr;
}

std::string where_of(const char* kind, size_t index, const std::string& id) {
  return std::string(kind) + "[" + std::to_string(index) + "]" +
         (id.empty() ? "" : " (" + id + ")");
}

void parse_resources(const Json& root, State& s) {
  for (size_t i = 0; const auto& v : array(root, "scenario", "vpcs")) {
    std::string w = where_of("vpcs", i++, v.value("id", ""));
    check_keys(v, w,
               {"id", "cidr", "cidr_association_id", "dhcp_options_id", "is_default", "tags"});
    Vpc vpc;
    vpc.id = str(v, w, "id", true);
    vpc.cidr = str(v, w, "cidr", true);
    if (!canonical_cidr(vpc.cidr)) fail(w, "\"cidr\" is not an IPv4 CIDR");
    vpc.cidr_association_id =
        str(v, w, "cidr_association_id", false, "vpc-cidr-assoc-" + vpc.id.substr(4));
    vpc.dhcp_options_id = str(v, w, "dhcp_options_id", false, "dopt-" + vpc.id.substr(4));
    vpc.is_default = boolean(v, w, "is_default", false);
    vpc.tags = tags_from(v, w);
    s.vpcs.push_back(std::move(vpc));
  }
  for (size_t i = 0; const auto& v : array(root, "scenario", "internet_gateways")) {
    std::string w = where_of("internet_gateways", i++, v.value("id", ""));
    check_keys(v, w, {"id", "vpc_id", "tags"});
    InternetGateway g;
    g.id = str(v, w, "id", true);
    g.vpc_id = str(v, w, "vpc_id", false);
    g.tags = tags_from(v, w);
    s.internet_gateways.push_back(std::move(g));
  }
  for (size_t i = 0; const auto& v : array(root, "scenario", "subnets")) {
    std::string w = where_of("subnets", i++, v.value("id", ""));
    check_keys(v, w,
               {"id", "vpc_id", "cidr", "availability_zone", "map_public_ip_on_launch", "tags"});
    Subnet sn;
    sn.id = str(v, w, "id", true);
    sn.vpc_id = str(v, w, "vpc_id", true);
    sn.cidr = str(v, w, "cidr", true);
    if (!canonical_cidr(sn.cidr)) fail(w, "\"cidr\" is not an IPv4 CIDR");
    sn.availability_zone = str(v, w, "availability_zone", true);
    sn.map_public_ip_on_launch = boolean(v, w, "map_public_ip_on_launch", false);
    sn.tags = tags_from(v, w);
    s.subnets.push_back(std::move(sn));
  }
  for (size_t i = 0; const auto& v : array(root, "scenario", "instances")) {
    std::string w = where_of("instances", i++, v.value("id", ""));
    check_keys(v, w,
               {"id", "reservation_id", "image_id", "instance_type", "state", "launch_time",
                "iam_role", "tags"});
    Instance in;
    in.id = str(v, w, "id", true);
    in.reservation_id =
        str(v, w, "reservation_id", false, "r-" + in.id.substr(std::min<size_t>(2, in.id.size())));
    in.image_id = str(v, w, "image_id", false, "ami-0ec20000000000001");
    in.instance_type = str(v, w, "instance_type", false, "t3.small");
    in.state = str(v, w, "state", false, "running");
    if (instance_state_code(in.state) < 0) fail(w, "\"state\" is not an EC2 instance state");
    in.launch_time = str(v, w, "launch_time", false, "2024-05-14T09:20:40.000Z");
    in.iam_role = str(v, w, "iam_role", false);
    in.tags = tags_from(v, w);
    s.instances.push_back(std::move(in));
  }
  for (size_t i = 0; const auto& v : array(root, "scenario", "network_interfaces")) {
    std::string w = where_of("network_interfaces", i++, v.value("id", ""));
    check_keys(v, w,
               {"id", "subnet_id", "description", "mac", "private_ips", "source_dest_check",
                "attachment", "groups", "tags"});
    NetworkInterface e;
    e.id = str(v, w, "id", true);
    e.subnet_id = str(v, w, "subnet_id", true);
    e.description = str(v, w, "description", false);
    e.mac = str(v, w, "mac", true);
    for (const auto& ip : array(v, w, "private_ips")) {
      if (!ip.is_string() || !parse_ipv4(ip.get<std::string>(), nullptr))
        fail(w, "\"private_ips\" must hold IPv4 addresses");
      e.private_ips.push_back(ip.get<std::string>());
    }
    if (e.private_ips.empty()) fail(w, "\"private_ips\" needs at least the primary address");
    e.source_dest_check = boolean(v, w, "source_dest_check", true);
    if (auto a = v.find("attachment"); a != v.end() && !a->is_null()) {
      check_keys(*a, w + ".attachment", {"id", "instance_id", "device_index"});
      Attachment at;
      at.instance_id = str(*a, w + ".attachment", "instance_id", true);
      at.id = str(*a, w + ".attachment", "id", false, "eni-attach-" + e.id.substr(4));
      auto d = a->find("device_index");
      if (d != a->end()) {
        if (!d->is_number_integer() || d->get<int>() < 0)
          fail(w, "\"device_index\" must be a non-negative integer");
        at.device_index = d->get<int>();
      }
      e.attachment = at;
    }
    for (const auto& g : array(v, w, "groups")) {
      check_keys(g, w + ".groups", {"id", "name"});
      e.groups.push_back({str(g, w + ".groups", "id", true), str(g, w + ".groups", "name", false)});
    }
    e.tags = tags_from(v, w);
    s.network_interfaces.push_back(std::move(e));
  }
  for (size_t i = 0; const auto& v : array(root, "scenario", "route_tables")) {
    std::string w = where_of("route_tables", i++, v.value("id", ""));
    check_keys(v, w, {"id", "vpc_id", "associations", "routes", "tags"});
    RouteTable rt;
    rt.id = str(v, w, "id", true);
    rt.vpc_id = str(v, w, "vpc_id", true);
    for (const auto& a : array(v, w, "associations")) {
      check_keys(a, w + ".associations", {"id", "subnet_id", "main"});
      RouteTableAssociation as;
      as.id = str(a, w + ".associations", "id", true);
      as.subnet_id = str(a, w + ".associations", "subnet_id", false);
      as.main = boolean(a, w + ".associations", "main", false);
      if (as.main == !as.subnet_id.empty())
        fail(w, "an association has either \"subnet_id\" or \"main\": true");
      rt.associations.push_back(std::move(as));
    }
    for (const auto& r : array(v, w, "routes")) {
      std::string rw = w + ".routes";
      check_keys(r, rw,
                 {"destination", "gateway_id", "nat_gateway_id", "network_interface_id", "origin",
                  "state", "instance_id"});
      Route route;
      auto dest = canonical_cidr(str(r, rw, "destination", true));
      if (!dest) fail(rw, "\"destination\" is not an IPv4 CIDR");
      route.destination = *dest;
      route.gateway_id = str(r, rw, "gateway_id", false);
      route.nat_gateway_id = str(r, rw, "nat_gateway_id", false);
      route.network_interface_id = str(r, rw, "network_interface_id", false);
      int targets = !route.gateway_id.empty() + !route.nat_gateway_id.empty() +
                    !route.network_interface_id.empty();
      if (targets != 1) fail(rw, "route " + route.destination + " needs exactly one target");
      route.origin = str(r, rw, "origin", false,
                         route.gateway_id == "local" ? "CreateRouteTable" : "CreateRoute");
      rt.routes.push_back(std::move(route));
    }
    rt.tags = tags_from(v, w);
    s.route_tables.push_back(std::move(rt));
  }
  for (size_t i = 0; const auto& v : array(root, "scenario", "addresses")) {
    std::string w = where_of("addresses", i++, v.value("allocation_id", ""));
    check_keys(v, w, {"allocation_id", "public_ip", "association", "tags"});
    Address a;
    a.allocation_id = str(v, w, "allocation_id", true);
    a.public_ip = str(v, w, "public_ip", true);
    if (!parse_ipv4(a.public_ip, nullptr)) fail(w, "\"public_ip\" is not an IPv4 address");
    if (auto as = v.find("association"); as != v.end() && !as->is_null()) {
      check_keys(*as, w + ".association",
                 {"id", "network_interface_id", "private_ip", "instance_id"});
      a.association_id = str(*as, w + ".association", "id", true);
      a.network_interface_id = str(*as, w + ".association", "network_interface_id", true);
      a.private_ip = str(*as, w + ".association", "private_ip", false);
    }
    a.tags = tags_from(v, w);
    s.addresses.push_back(std::move(a));
  }
}

void check_unique(std::set<std::string>& seen, const std::string& id) {
  if (!seen.insert(id).second) fail("scenario", "duplicate id " + id);
}

void validate(Scenario& sc) {
  State& s = sc.state;
  std::set<std::string> seen;
  for (const auto& v : s.vpcs) check_unique(seen, v.id);
  for (const auto& g : s.internet_gateways) {
    check_unique(seen, g.id);
    if (!g.vpc_id.empty() && !s.vpc(g.vpc_id)) fail(g.id, "unknown vpc_id " + g.vpc_id);
  }
  for (const auto& sn : s.subnets) {
    check_unique(seen, sn.id);
    const Vpc* vpc = s.vpc(sn.vpc_id);
    if (!vpc) fail(sn.id, "unknown vpc_id " + sn.vpc_id);
    if (s.availability_zone_id(sn.availability_zone).empty()) {
      fail(sn.id,
           "availability zone " + sn.availability_zone + " is not in \"availability_zones\"");
    }
  }
  for (const auto& in : s.instances) check_unique(seen, in.id);
  for (auto& e : s.network_interfaces) {
    check_unique(seen, e.id);
    const Subnet* sn = s.subnet(e.subnet_id);
    if (!sn) fail(e.id, "unknown subnet_id " + e.subnet_id);
    for (const auto& ip : e.private_ips) {
      if (!ipv4_in_cidr(ip, sn->cidr)) fail(e.id, ip + " is outside subnet " + sn->cidr);
    }
    if (e.attachment && !s.instance(e.attachment->instance_id)) {
      fail(e.id, "attached to unknown instance " + e.attachment->instance_id);
    }
  }
  for (const auto& in : s.instances) {
    auto enis = s.instance_enis(in.id);
    for (size_t i = 1; i < enis.size(); ++i) {
      if (enis[i]->attachment->device_index == enis[i - 1]->attachment->device_index) {
        fail(in.id, "two network interfaces share device index " +
                        std::to_string(enis[i]->attachment->device_index));
      }
    }
  }
  for (auto& rt : s.route_tables) {
    check_unique(seen, rt.id);
    const Vpc* vpc = s.vpc(rt.vpc_id);
    if (!vpc) fail(rt.id, "unknown vpc_id " + rt.vpc_id);
    for (const auto& a : rt.associations) {
      check_unique(seen, a.id);
      if (!a.subnet_id.empty()) {
        const Subnet* sn = s.subnet(a.subnet_id);
        if (!sn || sn->vpc_id != rt.vpc_id)
          fail(rt.id, "association with unknown or foreign subnet " + a.subnet_id);
      }
    }
    std::set<std::string> dests;
    for (const auto& r : rt.routes) {
      if (!dests.insert(r.destination).second) fail(rt.id, "two routes for " + r.destination);
    }
    // Every route table holds the VPC's local route first, as EC2 creates it.
    std::string local = *canonical_cidr(vpc->cidr);
    if (!dests.count(local)) {
      Route r;
      r.destination = local;
      r.gateway_id = "local";
      r.origin = "CreateRouteTable";
      rt.routes.insert(rt.routes.begin(), r);
    }
  }
  std::set<std::string> publics;
  for (auto& a : s.addresses) {
    check_unique(seen, a.allocation_id);
    if (!publics.insert(a.public_ip).second)
      fail(a.allocation_id, "duplicate public_ip " + a.public_ip);
    if (!a.association_id.empty()) {
      check_unique(seen, a.association_id);
      const NetworkInterface* e = s.eni(a.network_interface_id);
      if (!e)
        fail(a.allocation_id,
             "associated with unknown network interface " + a.network_interface_id);
      if (a.private_ip.empty()) a.private_ip = e->private_ips.front();
      if (std::find(e->private_ips.begin(), e->private_ips.end(), a.private_ip) ==
          e->private_ips.end()) {
        fail(a.allocation_id, a.private_ip + " is not an address of " + e->id);
      }
    }
  }
  for (const auto& n : sc.ec2rk.nodes) {
    if (!s.instance(n.instance_id))
      fail("ec2rk.nodes." + n.name, "unknown instance " + n.instance_id);
  }
  auto check_node_enis = [&](const std::string& w, const auto& map) {
    for (const auto& [node, eni] : map) {
      if (std::none_of(sc.ec2rk.nodes.begin(), sc.ec2rk.nodes.end(),
                       [&](const NodeRef& n) { return n.name == node; })) {
        fail(w, "unknown node " + node);
      }
      if (!s.eni(eni)) fail(w, "unknown network interface " + eni);
    }
  };
  for (const auto& r : sc.ec2rk.routes) {
    if (!s.vpc(r.vpc_id)) fail("ec2rk.routes." + r.name, "unknown vpc " + r.vpc_id);
    check_node_enis("ec2rk.routes." + r.name, r.eni);
  }
  for (const auto& e : sc.ec2rk.eips) {
    if (!s.address_by_allocation(e.allocation_id))
      fail("ec2rk.eips." + e.name, "unknown allocation " + e.allocation_id);
    check_node_enis("ec2rk.eips." + e.name, e.eni);
  }
}

Ec2rkSection parse_ec2rk(const Json& root) {
  Ec2rkSection out;
  auto it = root.find("ec2rk");
  if (it == root.end()) return out;
  check_keys(*it, "ec2rk", {"nodes", "routes", "eips"});
  for (auto& [name, id] : string_map(*it, "ec2rk", "nodes")) out.nodes.push_back({name, id});
  if (auto r = it->find("routes"); r != it->end()) {
    if (!r->is_object()) fail("ec2rk.routes", "must be an object");
    for (auto e = r->begin(); e != r->end(); ++e) {
      std::string w = "ec2rk.routes." + e.key();
      check_keys(*e, w, {"vpc_id", "destination", "eni"});
      RouteResource rr;
      rr.name = e.key();
      rr.vpc_id = str(*e, w, "vpc_id", true);
      auto dest = canonical_cidr(str(*e, w, "destination", true));
      if (!dest) fail(w, "\"destination\" is not an IPv4 CIDR");
      rr.destination = *dest;
      rr.eni = string_map(*e, w, "eni");
      out.routes.push_back(std::move(rr));
    }
  }
  if (auto r = it->find("eips"); r != it->end()) {
    if (!r->is_object()) fail("ec2rk.eips", "must be an object");
    for (auto e = r->begin(); e != r->end(); ++e) {
      std::string w = "ec2rk.eips." + e.key();
      check_keys(*e, w, {"allocation_id", "eni", "private_ip"});
      EipResource er;
      er.name = e.key();
      er.allocation_id = str(*e, w, "allocation_id", true);
      er.eni = string_map(*e, w, "eni");
      er.private_ip = string_map(*e, w, "private_ip");
      out.eips.push_back(std::move(er));
    }
  }
  return out;
}

}  // namespace

const std::string* find_tag(const Tags& tags, std::string_view key) {
  for (const auto& t : tags) {
    if (t.key == key) return &t.value;
  }
  return nullptr;
}

int instance_state_code(std::string_view state) {
  if (state == "pending") return 0;
  if (state == "running") return 16;
  if (state == "shutting-down") return 32;
  if (state == "terminated") return 48;
  if (state == "stopping") return 64;
  if (state == "stopped") return 80;
  return -1;
}

const Vpc* State::vpc(std::string_view id) const {
  return find_by(vpcs, id, &Vpc::id);
}
const Subnet* State::subnet(std::string_view id) const {
  return find_by(subnets, id, &Subnet::id);
}
const Instance* State::instance(std::string_view id) const {
  return find_by(instances, id, &Instance::id);
}
Instance* State::instance(std::string_view id) {
  return const_cast<Instance*>(std::as_const(*this).instance(id));
}
const NetworkInterface* State::eni(std::string_view id) const {
  return find_by(network_interfaces, id, &NetworkInterface::id);
}
NetworkInterface* State::eni(std::string_view id) {
  return const_cast<NetworkInterface*>(std::as_const(*this).eni(id));
}
const RouteTable* State::route_table(std::string_view id) const {
  return find_by(route_tables, id, &RouteTable::id);
}
RouteTable* State::route_table(std::string_view id) {
  return const_cast<RouteTable*>(std::as_const(*this).route_table(id));
}
const Address* State::address_by_allocation(std::string_view id) const {
  return find_by(addresses, id, &Address::allocation_id);
}
Address* State::address_by_allocation(std::string_view id) {
  return const_cast<Address*>(std::as_const(*this).address_by_allocation(id));
}
const InternetGateway* State::internet_gateway(std::string_view id) const {
  return find_by(internet_gateways, id, &InternetGateway::id);
}

std::string State::availability_zone_id(std::string_view zone) const {
  for (const auto& [name, id] : availability_zones) {
    if (name == zone) return id;
  }
  return "";
}

std::string State::eni_vpc_id(const NetworkInterface& e) const {
  const Subnet* sn = subnet(e.subnet_id);
  return sn ? sn->vpc_id : "";
}

std::string State::eni_availability_zone(const NetworkInterface& e) const {
  const Subnet* sn = subnet(e.subnet_id);
  return sn ? sn->availability_zone : "";
}

std::vector<const NetworkInterface*> State::instance_enis(std::string_view instance_id) const {
  std::vector<const NetworkInterface*> out;
  for (const auto& e : network_interfaces) {
    if (e.attachment && e.attachment->instance_id == instance_id) out.push_back(&e);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const NetworkInterface* a, const NetworkInterface* b) {
                     return a->attachment->device_index < b->attachment->device_index;
                   });
  return out;
}

const Address* State::address_on(std::string_view eni_id, std::string_view private_ip) const {
  for (const auto& a : addresses) {
    if (!a.association_id.empty() && a.network_interface_id == eni_id && a.private_ip == private_ip)
      return &a;
  }
  return nullptr;
}

std::string State::route_instance_id(const Route& route) const {
  if (route.network_interface_id.empty()) return "";
  const NetworkInterface* e = eni(route.network_interface_id);
  if (!e || !e->attachment) return "";
  return e->attachment->instance_id;
}

std::string State::route_state(const Route& route) const {
  if (!route.network_interface_id.empty()) {
    std::string inst = route_instance_id(route);
    if (inst.empty()) return "blackhole";
    const Instance* in = instance(inst);
    return in && in->state == "running" ? "active" : "blackhole";
  }
  if (!route.gateway_id.empty() && route.gateway_id != "local") {
    const InternetGateway* g = internet_gateway(route.gateway_id);
    return g && !g->vpc_id.empty() ? "active" : "blackhole";
  }
  return "active";
}

std::string State::generate_id(std::string_view prefix) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%012llx",
                static_cast<unsigned long long>(next_generated_id++));
  return std::string(prefix) + "-0ec21" + digits;
}

Result<Scenario> parse_scenario(std::string_view json_text) {
  try {
    Json root = Json::parse(json_text.begin(), json_text.end());
    check_keys(root, "scenario",
               {"name", "account_id", "region", "availability_zones", "credentials",
                "denied_actions", "vpcs", "internet_gateways", "subnets", "instances",
                "network_interfaces", "route_tables", "addresses", "ec2rk"});
    Scenario sc;
    sc.name = str(root, "scenario", "name", false, "custom");
    sc.state.account_id = str(root, "scenario", "account_id", false, "123456789012");
    sc.state.region = str(root, "scenario", "region", true);
    sc.state.availability_zones = string_map(root, "scenario", "availability_zones");
    for (size_t i = 0; const auto& c : array(root, "scenario", "credentials")) {
      std::string w = "credentials[" + std::to_string(i++) + "]";
      check_keys(c, w, {"access_key_id", "secret_access_key"});
      sc.credentials.push_back(
          {str(c, w, "access_key_id", true), str(c, w, "secret_access_key", true)});
    }
    for (const auto& a : array(root, "scenario", "denied_actions")) {
      if (!a.is_string()) fail("denied_actions", "must hold action names");
      sc.denied_actions.push_back(a.get<std::string>());
    }
    parse_resources(root, sc.state);
    sc.ec2rk = parse_ec2rk(root);
    validate(sc);
    return sc;
  } catch (const Json::exception& e) {
    return make_error(ErrorKind::kConfig, std::string("scenario: invalid JSON: ") + e.what());
  } catch (const ScenarioError& e) {
    return make_error(ErrorKind::kConfig, std::string("scenario: ") + e.what());
  }
}

Result<Scenario> load_scenario(std::string_view name_or_path) {
  if (name_or_path == "example") return parse_scenario(example_scenario_json());
  std::ifstream in{std::string(name_or_path)};
  if (!in)
    return make_error(ErrorKind::kConfig, "cannot read scenario file " + std::string(name_or_path));
  std::stringstream buf;
  buf << in.rdbuf();
  auto sc = parse_scenario(buf.str());
  if (!sc.ok()) sc.error().message = std::string(name_or_path) + ": " + sc.error().message;
  return sc;
}

void add_route_tables(Scenario& sc, int count) {
  State& s = sc.state;
  std::string vpc_id;
  std::string destination = "10.1.0.10/32";
  std::string eni_id;
  if (!sc.ec2rk.routes.empty()) {
    const RouteResource& r = sc.ec2rk.routes.front();
    vpc_id = r.vpc_id;
    destination = r.destination;
    if (!r.eni.empty()) eni_id = r.eni.front().second;
  } else if (!s.vpcs.empty()) {
    vpc_id = s.vpcs.front().id;
  }
  const Vpc* vpc = s.vpc(vpc_id);
  if (!vpc) return;
  std::string local = *canonical_cidr(vpc->cidr);
  for (int i = 1; i <= count; ++i) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%06d", i);
    RouteTable rt;
    rt.id = std::string("rtb-0ec2000000e") + suffix;
    rt.vpc_id = vpc_id;
    Route lr;
    lr.destination = local;
    lr.gateway_id = "local";
    lr.origin = "CreateRouteTable";
    rt.routes.push_back(lr);
    if (!eni_id.empty()) {
      Route vr;
      vr.destination = destination;
      vr.network_interface_id = eni_id;
      rt.routes.push_back(vr);
    }
    char name[32];
    std::snprintf(name, sizeof name, "vip-extra-%03d", i);
    rt.tags.push_back({"Name", name});
    s.route_tables.push_back(std::move(rt));
  }
}

Json state_to_json(const State& s) {
  Json out;
  out["account_id"] = s.account_id;
  out["region"] = s.region;
  Json azs = Json::object();
  for (const auto& [name, id] : s.availability_zones) azs[name] = id;
  out["availability_zones"] = azs;
  out["vpcs"] = Json::array();
  for (const auto& v : s.vpcs) {
    out["vpcs"].push_back({{"id", v.id},
                           {"cidr", v.cidr},
                           {"cidr_association_id", v.cidr_association_id},
                           {"dhcp_options_id", v.dhcp_options_id},
                           {"is_default", v.is_default},
                           {"tags", tags_to(v.tags)}});
  }
  out["internet_gateways"] = Json::array();
  for (const auto& g : s.internet_gateways) {
    out["internet_gateways"].push_back(
        {{"id", g.id}, {"vpc_id", g.vpc_id}, {"tags", tags_to(g.tags)}});
  }
  out["subnets"] = Json::array();
  for (const auto& sn : s.subnets) {
    out["subnets"].push_back({{"id", sn.id},
                              {"vpc_id", sn.vpc_id},
                              {"cidr", sn.cidr},
                              {"availability_zone", sn.availability_zone},
                              {"map_public_ip_on_launch", sn.map_public_ip_on_launch},
                              {"tags", tags_to(sn.tags)}});
  }
  out["instances"] = Json::array();
  for (const auto& in : s.instances) {
    out["instances"].push_back({{"id", in.id},
                                {"reservation_id", in.reservation_id},
                                {"image_id", in.image_id},
                                {"instance_type", in.instance_type},
                                {"state", in.state},
                                {"launch_time", in.launch_time},
                                {"iam_role", in.iam_role},
                                {"tags", tags_to(in.tags)}});
  }
  out["network_interfaces"] = Json::array();
  for (const auto& e : s.network_interfaces) {
    Json j = {
        {"id", e.id},   {"subnet_id", e.subnet_id},     {"description", e.description},
        {"mac", e.mac}, {"private_ips", e.private_ips}, {"source_dest_check", e.source_dest_check}};
    if (e.attachment) {
      j["attachment"] = {{"id", e.attachment->id},
                         {"instance_id", e.attachment->instance_id},
                         {"device_index", e.attachment->device_index}};
    } else {
      j["attachment"] = nullptr;
    }
    j["groups"] = Json::array();
    for (const auto& g : e.groups) j["groups"].push_back({{"id", g.id}, {"name", g.name}});
    j["tags"] = tags_to(e.tags);
    out["network_interfaces"].push_back(std::move(j));
  }
  out["route_tables"] = Json::array();
  for (const auto& rt : s.route_tables) {
    Json j = {{"id", rt.id}, {"vpc_id", rt.vpc_id}};
    j["associations"] = Json::array();
    for (const auto& a : rt.associations) {
      Json aj = {{"id", a.id}};
      if (a.main) {
        aj["main"] = true;
      } else {
        aj["subnet_id"] = a.subnet_id;
      }
      j["associations"].push_back(std::move(aj));
    }
    j["routes"] = Json::array();
    for (const auto& r : rt.routes) {
      Json rj = {{"destination", r.destination}};
      if (!r.gateway_id.empty()) rj["gateway_id"] = r.gateway_id;
      if (!r.nat_gateway_id.empty()) rj["nat_gateway_id"] = r.nat_gateway_id;
      if (!r.network_interface_id.empty()) rj["network_interface_id"] = r.network_interface_id;
      std::string inst = s.route_instance_id(r);
      if (!inst.empty()) rj["instance_id"] = inst;
      rj["origin"] = r.origin;
      rj["state"] = s.route_state(r);
      j["routes"].push_back(std::move(rj));
    }
    j["tags"] = tags_to(rt.tags);
    out["route_tables"].push_back(std::move(j));
  }
  out["addresses"] = Json::array();
  for (const auto& a : s.addresses) {
    Json j = {{"allocation_id", a.allocation_id}, {"public_ip", a.public_ip}};
    if (a.association_id.empty()) {
      j["association"] = nullptr;
    } else {
      Json as = {{"id", a.association_id},
                 {"network_interface_id", a.network_interface_id},
                 {"private_ip", a.private_ip}};
      const NetworkInterface* e = s.eni(a.network_interface_id);
      if (e && e->attachment) as["instance_id"] = e->attachment->instance_id;
      j["association"] = std::move(as);
    }
    j["tags"] = tags_to(a.tags);
    out["addresses"].push_back(std::move(j));
  }
  return out;
}

bool parse_ipv4(std::string_view text, uint32_t* out) {
  uint32_t value = 0;
  int parts = 0;
  size_t pos = 0;
  while (parts < 4) {
    size_t end = pos;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    size_t len = end - pos;
    if (len == 0 || len > 3 || (len > 1 && text[pos] == '0')) return false;
    int octet = std::stoi(std::string(text.substr(pos, len)));
    if (octet > 255) return false;
    value = (value << 8) | static_cast<uint32_t>(octet);
    ++parts;
    if (parts < 4) {
      if (end >= text.size() || text[end] != '.') return false;
      pos = end + 1;
    } else if (end != text.size()) {
      return false;
    }
  }
  if (out) *out = value;
  return true;
}

std::optional<std::string> canonical_cidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  uint32_t ip = 0;
  if (!parse_ipv4(text.substr(0, slash), &ip)) return std::nullopt;
  std::string_view bits = text.substr(slash + 1);
  if (bits.empty() || bits.size() > 2 ||
      !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int n = std::stoi(std::string(bits));
  if (n > 32) return std::nullopt;
  uint32_t mask = n == 0 ? 0 : ~uint32_t{0} << (32 - n);
  ip &= mask;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u/%d", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
                ip & 255, n);
  return std::string(buf);
}

bool ipv4_in_cidr(std::string_view ip, std::string_view cidr) {
  uint32_t addr = 0;
  uint32_t net = 0;
  size_t slash = cidr.find('/');
  if (slash == std::string_view::npos || !parse_ipv4(ip, &addr) ||
      !parse_ipv4(cidr.substr(0, slash), &net)) {
    return false;
  }
  int n = std::stoi(std::string(cidr.substr(slash + 1)));
  uint32_t mask = n == 0 ? 0 : ~uint32_t{0} << (32 - n);
  return (addr & mask) == (net & mask);
}

}  // namespace ec2rk::sim
