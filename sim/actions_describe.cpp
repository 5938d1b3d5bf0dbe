// The read-only actions: DescribeRouteTables, DescribeAddresses, DescribeNetworkInterfaces,
// DescribeInstances, DescribeVpcs, DescribeSubnets.
#include <algorithm>
#include <functional>

#include "sim/actions.h"
#include "sim/filters.h"
#include "sim/render.h"

namespace ec2rk::sim {
namespace {

Values one(std::string v) {
  return Values{std::move(v)};
}
Values none() {
  return Values{};
}

template <class T>
using ValuesOf = std::function<std::optional<Values>(const T&, std::string_view)>;

// The generic Describe: ids (each must exist), filters, optional paging, one XML item each.
template <class T>
struct Describe {
  std::string_view action;
  std::string_view id_param;        // "RouteTableId" (list parameter prefix)
  std::string_view not_found_code;  // "InvalidRouteTableID.NotFound"
  std::string_view kind;            // "routeTable" for the NotFound message
  std::string_view set_name;        // "routeTableSet"
  std::function<std::string(const T&)> id_of;
  ValuesOf<T> values_of;
  const PageRequest* paging = nullptr;  // nullptr: not paginated
  std::function<void(XmlWriter&, const T&)> write;

  ActionResult run(const std::vector<T>& items, const Params& p, const ActionContext& ctx) const {
    std::vector<std::string> ids = p.list(id_param);
    for (const auto& id : ids) {
      bool found =
          std::any_of(items.begin(), items.end(), [&](const T& t) { return id_of(t) == id; });
      if (!found) return failed(not_found(not_found_code, kind, id));
    }
    std::vector<Filter> filters = p.filters();
    if (Ec2Error e = check_filter_names(
            filters, [&](const std::string& name) { return values_of(T{}, name).has_value(); })) {
      return failed(std::move(e));
    }
    std::vector<const T*> matched;
    for (const auto& item : items) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id_of(item)) == ids.end()) continue;
      if (!matches_filters(filters, [&](std::string_view name) { return values_of(item, name); }))
        continue;
      matched.push_back(&item);
    }
    Page page{0, matched.size(), ""};
    if (paging) {
      PageRequest req = *paging;
      req.ids_given = !ids.empty();
      if (Ec2Error e = paginate(p, matched.size(), req, &page)) return failed(std::move(e));
    }
    XmlWriter w(action, ctx.request_id);
    if (page.begin == page.end) {
      w.empty(set_name);
    } else {
      w.open(set_name);
      for (size_t i = page.begin; i < page.end; ++i) write(w, *matched[i]);
      w.close();
    }
    if (!page.next_token.empty()) w.leaf("nextToken", page.next_token);
    ActionResult r;
    r.xml = w.finish();
    return r;
  }
};

std::optional<Values> route_table_values(const State& s, const RouteTable& rt,
                                         std::string_view name) {
  if (auto t = tag_filter_values(rt.tags, name)) return t;
  if (name == "vpc-id") return one(rt.vpc_id);
  if (name == "route-table-id") return one(rt.id);
  if (name == "owner-id") return one(s.account_id);
  Values out;
  if (name == "association.subnet-id" || name == "association.route-table-association-id" ||
      name == "association.main" || name == "association.route-table-id") {
    for (const auto& a : rt.associations) {
      if (name == "association.subnet-id") {
        if (!a.subnet_id.empty()) out.push_back(a.subnet_id);
      } else if (name == "association.route-table-association-id") {
        out.push_back(a.id);
      } else if (name == "association.main") {
        out.push_back(a.main ? "true" : "false");
      } else {
        out.push_back(rt.id);
      }
    }
    return out;
  }
  if (name.substr(0, 6) == "route.") {
    std::string_view field = name.substr(6);
    if (field != "destination-cidr-block" && field != "gateway-id" && field != "instance-id" &&
        field != "nat-gateway-id" && field != "origin" && field != "state") {
      return std::nullopt;  // route.network-interface-id is not an EC2 filter either
    }
    for (const auto& r : rt.routes) {
      if (field == "destination-cidr-block")
        out.push_back(r.destination);
      else if (field == "gateway-id" && !r.gateway_id.empty())
        out.push_back(r.gateway_id);
      else if (field == "nat-gateway-id" && !r.nat_gateway_id.empty())
        out.push_back(r.nat_gateway_id);
      else if (field == "instance-id") {
        std::string inst = s.route_instance_id(r);
        if (!inst.empty()) out.push_back(inst);
      } else if (field == "origin")
        out.push_back(r.origin);
      else if (field == "state")
        out.push_back(s.route_state(r));
    }
    return out;
  }
  return std::nullopt;
}

std::optional<Values> address_values(const State& s, const Address& a, std::string_view name) {
  if (auto t = tag_filter_values(a.tags, name)) return t;
  bool assoc = !a.association_id.empty();
  if (name == "allocation-id") return one(a.allocation_id);
  if (name == "public-ip") return one(a.public_ip);
  if (name == "domain") return one("vpc");
  if (name == "network-border-group") return one(s.region);
  if (name == "association-id") return assoc ? one(a.association_id) : none();
  if (name == "network-interface-id") return assoc ? one(a.network_interface_id) : none();
  if (name == "network-interface-owner-id") return assoc ? one(s.account_id) : none();
  if (name == "private-ip-address") return assoc ? one(a.private_ip) : none();
  if (name == "instance-id") {
    const NetworkInterface* e = assoc ? s.eni(a.network_interface_id) : nullptr;
    return e && e->attachment ? one(e->attachment->instance_id) : none();
  }
  return std::nullopt;
}

std::optional<Values> eni_values(const State& s, const NetworkInterface& e, std::string_view name) {
  if (auto t = tag_filter_values(e.tags, name)) return t;
  if (name == "network-interface-id") return one(e.id);
  if (name == "vpc-id") return one(s.eni_vpc_id(e));
  if (name == "subnet-id") return one(e.subnet_id);
  if (name == "availability-zone") return one(s.eni_availability_zone(e));
  if (name == "description") return one(e.description);
  if (name == "mac-address") return one(e.mac);
  if (name == "owner-id") return one(s.account_id);
  if (name == "status") return one(e.attachment ? "in-use" : "available");
  if (name == "source-dest-check") return one(e.source_dest_check ? "true" : "false");
  if (name == "interface-type") return one("interface");
  if (name == "requester-managed") return one("false");
  if (name == "private-ip-address" || name == "addresses.private-ip-address") {
    return Values(e.private_ips);
  }
  if (name == "attachment.instance-id")
    return e.attachment ? one(e.attachment->instance_id) : none();
  if (name == "attachment.attachment-id") return e.attachment ? one(e.attachment->id) : none();
  if (name == "attachment.device-index")
    return e.attachment ? one(std::to_string(e.attachment->device_index)) : none();
  if (name == "attachment.status") return e.attachment ? one("attached") : none();
  if (name == "attachment.instance-owner-id") return e.attachment ? one(s.account_id) : none();
  if (name == "group-id") {
    Values out;
    for (const auto& g : e.groups) out.push_back(g.id);
    return out;
  }
  if (name == "association.allocation-id" || name == "association.association-id" ||
      name == "association.public-ip") {
    Values out;
    for (const auto& a : s.addresses) {
      if (a.association_id.empty() || a.network_interface_id != e.id) continue;
      out.push_back(name == "association.allocation-id"    ? a.allocation_id
                    : name == "association.association-id" ? a.association_id
                                                           : a.public_ip);
    }
    return out;
  }
  return std::nullopt;
}

std::optional<Values> instance_values(const State& s, const Instance& in, std::string_view name) {
  if (auto t = tag_filter_values(in.tags, name)) return t;
  auto enis = s.instance_enis(in.id);
  const NetworkInterface* primary = enis.empty() ? nullptr : enis.front();
  if (name == "instance-id") return one(in.id);
  if (name == "reservation-id") return one(in.reservation_id);
  if (name == "owner-id") return one(s.account_id);
  if (name == "image-id") return one(in.image_id);
  if (name == "instance-type") return one(in.instance_type);
  if (name == "instance-state-name") return one(in.state);
  if (name == "instance-state-code") return one(std::to_string(instance_state_code(in.state)));
  if (name == "iam-instance-profile.arn") {
    return in.iam_role.empty()
               ? none()
               : one("arn:aws:iam::" + s.account_id + ":instance-profile/" + in.iam_role);
  }
  if (name == "vpc-id") return primary ? one(s.eni_vpc_id(*primary)) : none();
  if (name == "subnet-id") return primary ? one(primary->subnet_id) : none();
  if (name == "availability-zone") return primary ? one(s.eni_availability_zone(*primary)) : none();
  if (name == "private-ip-address") return primary ? one(primary->private_ips.front()) : none();
  if (name == "ip-address") {
    const Address* a = primary ? s.address_on(primary->id, primary->private_ips.front()) : nullptr;
    return a ? one(a->public_ip) : none();
  }
  if (name.substr(0, 18) == "network-interface.") {
    std::string_view field = name.substr(18);
    Values out;
    for (const NetworkInterface* e : enis) {
      if (field == "network-interface-id")
        out.push_back(e->id);
      else if (field == "subnet-id")
        out.push_back(e->subnet_id);
      else if (field == "vpc-id")
        out.push_back(s.eni_vpc_id(*e));
      else if (field == "mac-address")
        out.push_back(e->mac);
      else if (field == "source-dest-check")
        out.push_back(e->source_dest_check ? "true" : "false");
      else if (field == "addresses.private-ip-address")
        out.insert(out.end(), e->private_ips.begin(), e->private_ips.end());
      else
        return std::nullopt;
    }
    if (enis.empty() && field != "network-interface-id" && field != "subnet-id" &&
        field != "vpc-id" && field != "mac-address" && field != "source-dest-check" &&
        field != "addresses.private-ip-address") {
      return std::nullopt;
    }
    return out;
  }
  return std::nullopt;
}

std::optional<Values> vpc_values(const State& s, const Vpc& v, std::string_view name) {
  if (auto t = tag_filter_values(v.tags, name)) return t;
  if (name == "vpc-id") return one(v.id);
  if (name == "cidr" || name == "cidr-block-association.cidr-block") return one(v.cidr);
  if (name == "cidr-block-association.association-id") return one(v.cidr_association_id);
  if (name == "state") return one("available");
  if (name == "owner-id") return one(s.account_id);
  if (name == "is-default") return one(v.is_default ? "true" : "false");
  if (name == "dhcp-options-id") return one(v.dhcp_options_id);
  return std::nullopt;
}

std::optional<Values> subnet_values(const State& s, const Subnet& sn, std::string_view name) {
  if (auto t = tag_filter_values(sn.tags, name)) return t;
  if (name == "subnet-id") return one(sn.id);
  if (name == "vpc-id") return one(sn.vpc_id);
  if (name == "cidr" || name == "cidr-block" || name == "cidrBlock") return one(sn.cidr);
  if (name == "availability-zone") return one(sn.availability_zone);
  if (name == "availability-zone-id") return one(s.availability_zone_id(sn.availability_zone));
  if (name == "state") return one("available");
  if (name == "owner-id") return one(s.account_id);
  if (name == "default-for-az") return one("false");
  if (name == "map-public-ip-on-launch") return one(sn.map_public_ip_on_launch ? "true" : "false");
  return std::nullopt;
}

const PageRequest kRouteTablePaging{5, 100, false, false};
const PageRequest kEniPaging{5, 1000, false, true};
const PageRequest kInstancePaging{5, 1000, false, true};
const PageRequest kVpcPaging{5, 1000, false, false};

}  // namespace

ActionResult describe_route_tables(const State& s, const Params& p, const ActionContext& ctx) {
  Describe<RouteTable> d{
      "DescribeRouteTables",
      "RouteTableId",
      "InvalidRouteTableID.NotFound",
      "routeTable",
      "routeTableSet",
      [](const RouteTable& t) { return t.id; },
      [&](const RouteTable& t, std::string_view n) { return route_table_values(s, t, n); },
      &kRouteTablePaging,
      [&](XmlWriter& w, const RouteTable& t) { write_route_table(w, s, t); }};
  return d.run(s.route_tables, p, ctx);
}

ActionResult describe_addresses(const State& s, const Params& p, const ActionContext& ctx) {
  // PublicIp.N has its own NotFound code and message.
  for (const auto& ip : p.list("PublicIp")) {
    bool found = std::any_of(s.addresses.begin(), s.addresses.end(),
                             [&](const Address& a) { return a.public_ip == ip; });
    if (!found)
      return failed(ec2_error("InvalidAddress.NotFound", "Address '" + ip + "' not found."));
  }
  Describe<Address> d{"DescribeAddresses",
                      "AllocationId",
                      "InvalidAllocationID.NotFound",
                      "allocation",
                      "addressesSet",
                      [](const Address& a) { return a.allocation_id; },
                      [&](const Address& a, std::string_view n) { return address_values(s, a, n); },
                      nullptr,
                      [&](XmlWriter& w, const Address& a) { write_address(w, s, a); }};
  std::vector<std::string> ips = p.list("PublicIp");
  if (ips.empty()) return d.run(s.addresses, p, ctx);
  std::vector<Address> subset;
  for (const auto& a : s.addresses) {
    if (std::find(ips.begin(), ips.end(), a.public_ip) != ips.end()) subset.push_back(a);
  }
  return d.run(subset, p, ctx);
}

ActionResult describe_network_interfaces(const State& s, const Params& p,
                                         const ActionContext& ctx) {
  Describe<NetworkInterface> d{
      "DescribeNetworkInterfaces",
      "NetworkInterfaceId",
      "InvalidNetworkInterfaceID.NotFound",
      "networkInterface",
      "networkInterfaceSet",
      [](const NetworkInterface& e) { return e.id; },
      [&](const NetworkInterface& e, std::string_view n) { return eni_values(s, e, n); },
      &kEniPaging,
      [&](XmlWriter& w, const NetworkInterface& e) { write_network_interface(w, s, e, false); }};
  return d.run(s.network_interfaces, p, ctx);
}

ActionResult describe_instances(const State& s, const Params& p, const ActionContext& ctx) {
  // One reservation per instance, as the scenario launches each on its own.
  Describe<Instance> d{
      "DescribeInstances",
      "InstanceId",
      "InvalidInstanceID.NotFound",
      "instance",
      "reservationSet",
      [](const Instance& in) { return in.id; },
      [&](const Instance& in, std::string_view n) { return instance_values(s, in, n); },
      &kInstancePaging,
      [&](XmlWriter& w, const Instance& in) {
        w.open("item");
        w.leaf("reservationId", in.reservation_id);
        w.leaf("ownerId", s.account_id);
        w.empty("groupSet");
        w.open("instancesSet");
        write_instance(w, s, in);
        w.close();
        w.close();
      }};
  return d.run(s.instances, p, ctx);
}

ActionResult describe_vpcs(const State& s, const Params& p, const ActionContext& ctx) {
  Describe<Vpc> d{"DescribeVpcs",
                  "VpcId",
                  "InvalidVpcID.NotFound",
                  "vpc",
                  "vpcSet",
                  [](const Vpc& v) { return v.id; },
                  [&](const Vpc& v, std::string_view n) { return vpc_values(s, v, n); },
                  &kVpcPaging,
                  [&](XmlWriter& w, const Vpc& v) { write_vpc(w, s, v); }};
  return d.run(s.vpcs, p, ctx);
}

ActionResult describe_subnets(const State& s, const Params& p, const ActionContext& ctx) {
  Describe<Subnet> d{"DescribeSubnets",
                     "SubnetId",
                     "InvalidSubnetID.NotFound",
                     "subnet",
                     "subnetSet",
                     [](const Subnet& sn) { return sn.id; },
                     [&](const Subnet& sn, std::string_view n) { return subnet_values(s, sn, n); },
                     &kVpcPaging,
                     [&](XmlWriter& w, const Subnet& sn) { write_subnet(w, s, sn); }};
  return d.run(s.subnets, p, ctx);
}

}  // namespace ec2rk::sim
