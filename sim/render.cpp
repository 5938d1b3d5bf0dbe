#include "sim/render.h"

#include <algorithm>

namespace ec2rk::sim {
namespace {

std::string dashed(std::string_view ip) {
  std::string out(ip);
  std::replace(out.begin(), out.end(), '.', '-');
  return out;
}

void write_association(XmlWriter& w, const State& state, const Address& a, bool with_ids) {
  w.open("association");
  w.leaf("publicIp", a.public_ip);
  w.leaf("publicDnsName", public_dns_name(state, a.public_ip));
  w.leaf("ipOwnerId", state.account_id);
  if (with_ids) {
    w.leaf("allocationId", a.allocation_id);
    w.leaf("associationId", a.association_id);
  }
  w.close();
}

void write_group_set(XmlWriter& w, const std::vector<SecurityGroup>& groups) {
  if (groups.empty()) {
    w.empty("groupSet");
    return;
  }
  w.open("groupSet");
  for (const auto& g : groups) {
    w.open("item");
    w.leaf("groupId", g.id);
    w.leaf("groupName", g.name);
    w.close();
  }
  w.close();
}

std::string launch_time_of(const State& state, const NetworkInterface& e) {
  if (!e.attachment) return "";
  const Instance* in = state.instance(e.attachment->instance_id);
  return in ? in->launch_time : "";
}

}  // namespace

std::string private_dns_name(const State& state, std::string_view ip) {
  if (state.region == "us-east-1") return "ip-" + dashed(ip) + ".ec2.internal";
  return "ip-" + dashed(ip) + "." + state.region + ".compute.internal";
}

std::string public_dns_name(const State& state, std::string_view ip) {
  if (state.region == "us-east-1") return "ec2-" + dashed(ip) + ".compute-1.amazonaws.com";
  return "ec2-" + dashed(ip) + "." + state.region + ".compute.amazonaws.com";
}

void write_tag_set(XmlWriter& w, const Tags& tags) {
  if (tags.empty()) {
    w.empty("tagSet");
    return;
  }
  w.open("tagSet");
  for (const auto& t : tags) {
    w.open("item");
    w.leaf("key", t.key);
    w.leaf("value", t.value);
    w.close();
  }
  w.close();
}

void write_route_table(XmlWriter& w, const State& state, const RouteTable& rt) {
  w.open("item");
  w.leaf("routeTableId", rt.id);
  w.leaf("vpcId", rt.vpc_id);
  w.leaf("ownerId", state.account_id);
  w.open("routeSet");
  for (const auto& r : rt.routes) {
    w.open("item");
    w.leaf("destinationCidrBlock", r.destination);
    if (!r.gateway_id.empty()) w.leaf("gatewayId", r.gateway_id);
    if (!r.network_interface_id.empty()) {
      std::string inst = state.route_instance_id(r);
      if (!inst.empty()) {
        w.leaf("instanceId", inst);
        w.leaf("instanceOwnerId", state.account_id);
      }
      w.leaf("networkInterfaceId", r.network_interface_id);
    }
    if (!r.nat_gateway_id.empty()) w.leaf("natGatewayId", r.nat_gateway_id);
    w.leaf("state", state.route_state(r));
    w.leaf("origin", r.origin);
    w.close();
  }
  w.close();
  if (rt.associations.empty()) {
    w.empty("associationSet");
  } else {
    w.open("associationSet");
    for (const auto& a : rt.associations) {
      w.open("item");
      w.leaf("routeTableAssociationId", a.id);
      w.leaf("routeTableId", rt.id);
      if (!a.subnet_id.empty()) w.leaf("subnetId", a.subnet_id);
      w.leaf("main", a.main);
      w.open("associationState");
      w.leaf("state", "associated");
      w.close();
      w.close();
    }
    w.close();
  }
  w.empty("propagatingVgwSet");
  write_tag_set(w, rt.tags);
  w.close();
}

void write_address(XmlWriter& w, const State& state, const Address& a) {
  w.open("item");
  w.leaf("publicIp", a.public_ip);
  w.leaf("allocationId", a.allocation_id);
  w.leaf("domain", "vpc");
  if (!a.association_id.empty()) {
    const NetworkInterface* e = state.eni(a.network_interface_id);
    if (e && e->attachment) w.leaf("instanceId", e->attachment->instance_id);
    w.leaf("associationId", a.association_id);
    w.leaf("networkInterfaceId", a.network_interface_id);
    w.leaf("networkInterfaceOwnerId", state.account_id);
    w.leaf("privateIpAddress", a.private_ip);
  }
  write_tag_set(w, a.tags);
  w.leaf("publicIpv4Pool", "amazon");
  w.leaf("networkBorderGroup", state.region);
  w.close();
}

void write_network_interface(XmlWriter& w, const State& state, const NetworkInterface& e,
                             bool for_instance) {
  const std::string& primary = e.private_ips.front();
  std::string az = state.eni_availability_zone(e);
  w.open("item");
  w.leaf("networkInterfaceId", e.id);
  w.leaf("subnetId", e.subnet_id);
  w.leaf("vpcId", state.eni_vpc_id(e));
  if (!for_instance) {
    w.leaf("availabilityZone", az);
    w.leaf("availabilityZoneId", state.availability_zone_id(az));
  }
  w.leaf("description", e.description);
  w.leaf("ownerId", state.account_id);
  if (!for_instance) w.leaf("requesterManaged", false);
  w.leaf("status", e.attachment ? "in-use" : "available");
  w.leaf("macAddress", e.mac);
  w.leaf("privateIpAddress", primary);
  w.leaf("privateDnsName", private_dns_name(state, primary));
  w.leaf("sourceDestCheck", e.source_dest_check);
  write_group_set(w, e.groups);
  if (e.attachment) {
    w.open("attachment");
    w.leaf("attachmentId", e.attachment->id);
    if (!for_instance) {
      w.leaf("instanceId", e.attachment->instance_id);
      w.leaf("instanceOwnerId", state.account_id);
    }
    w.leaf("deviceIndex", e.attachment->device_index);
    w.leaf("networkCardIndex", 0);
    w.leaf("status", "attached");
    w.leaf("attachTime", launch_time_of(state, e));
    w.leaf("deleteOnTermination", e.attachment->device_index == 0);
    w.close();
  }
  if (const Address* a = state.address_on(e.id, primary))
    write_association(w, state, *a, !for_instance);
  if (!for_instance) write_tag_set(w, e.tags);
  w.open("privateIpAddressesSet");
  for (const auto& ip : e.private_ips) {
    w.open("item");
    w.leaf("privateIpAddress", ip);
    w.leaf("privateDnsName", private_dns_name(state, ip));
    w.leaf("primary", ip == primary);
    if (const Address* a = state.address_on(e.id, ip))
      write_association(w, state, *a, !for_instance);
    w.close();
  }
  w.close();
  w.empty("ipv6AddressesSet");
  w.leaf("interfaceType", "interface");
  w.close();
}

void write_instance(XmlWriter& w, const State& state, const Instance& in) {
  auto enis = state.instance_enis(in.id);
  const NetworkInterface* primary = enis.empty() ? nullptr : enis.front();
  const Address* public_address =
      primary ? state.address_on(primary->id, primary->private_ips.front()) : nullptr;
  w.open("item");
  w.leaf("instanceId", in.id);
  w.leaf("imageId", in.image_id);
  w.open("instanceState");
  w.leaf("code", instance_state_code(in.state));
  w.leaf("name", in.state);
  w.close();
  w.leaf("privateDnsName", primary ? private_dns_name(state, primary->private_ips.front()) : "");
  w.leaf("dnsName", public_address ? public_dns_name(state, public_address->public_ip) : "");
  w.empty("reason");
  w.leaf("amiLaunchIndex", 0);
  w.empty("productCodes");
  w.leaf("instanceType", in.instance_type);
  w.leaf("launchTime", in.launch_time);
  w.open("placement");
  w.leaf("availabilityZone", primary ? state.eni_availability_zone(*primary) : "");
  w.empty("groupName");
  w.leaf("tenancy", "default");
  w.close();
  w.open("monitoring");
  w.leaf("state", "disabled");
  w.close();
  if (primary) {
    w.leaf("subnetId", primary->subnet_id);
    w.leaf("vpcId", state.eni_vpc_id(*primary));
    w.leaf("privateIpAddress", primary->private_ips.front());
    if (public_address) w.leaf("ipAddress", public_address->public_ip);
    w.leaf("sourceDestCheck", primary->source_dest_check);
    write_group_set(w, primary->groups);
  } else {
    w.empty("groupSet");
  }
  w.leaf("architecture", "x86_64");
  w.leaf("rootDeviceType", "ebs");
  w.leaf("rootDeviceName", "/dev/xvda");
  w.empty("blockDeviceMapping");
  w.leaf("virtualizationType", "hvm");
  w.empty("clientToken");
  write_tag_set(w, in.tags);
  w.leaf("hypervisor", "xen");
  if (!in.iam_role.empty()) {
    w.open("iamInstanceProfile");
    w.leaf("arn", "arn:aws:iam::" + state.account_id + ":instance-profile/" + in.iam_role);
    w.leaf("id", "AIPA0EC2RKSIMPROFILE");
    w.close();
  }
  if (enis.empty()) {
    w.empty("networkInterfaceSet");
  } else {
    w.open("networkInterfaceSet");
    for (const NetworkInterface* e : enis) write_network_interface(w, state, *e, true);
    w.close();
  }
  w.leaf("ebsOptimized", false);
  w.close();
}

void write_vpc(XmlWriter& w, const State& state, const Vpc& vpc) {
  w.open("item");
  w.leaf("vpcId", vpc.id);
  w.leaf("ownerId", state.account_id);
  w.leaf("state", "available");
  w.leaf("cidrBlock", vpc.cidr);
  w.open("cidrBlockAssociationSet");
  w.open("item");
  w.leaf("cidrBlock", vpc.cidr);
  w.leaf("associationId", vpc.cidr_association_id);
  w.open("cidrBlockState");
  w.leaf("state", "associated");
  w.close();
  w.close();
  w.close();
  w.leaf("dhcpOptionsId", vpc.dhcp_options_id);
  write_tag_set(w, vpc.tags);
  w.leaf("instanceTenancy", "default");
  w.leaf("isDefault", vpc.is_default);
  w.close();
}

void write_subnet(XmlWriter& w, const State& state, const Subnet& sn) {
  int bits = std::stoi(sn.cidr.substr(sn.cidr.find('/') + 1));
  long long size = bits >= 32 ? 1 : (1LL << (32 - bits));
  long long used = 0;
  for (const auto& e : state.network_interfaces) {
    if (e.subnet_id == sn.id) used += static_cast<long long>(e.private_ips.size());
  }
  w.open("item");
  w.leaf("subnetId", sn.id);
  w.leaf("subnetArn", "arn:aws:ec2:" + state.region + ":" + state.account_id + ":subnet/" + sn.id);
  w.leaf("state", "available");
  w.leaf("ownerId", state.account_id);
  w.leaf("vpcId", sn.vpc_id);
  w.leaf("cidrBlock", sn.cidr);
  w.empty("ipv6CidrBlockAssociationSet");
  w.leaf("availableIpAddressCount", std::max(0LL, size - 5 - used));
  w.leaf("availabilityZone", sn.availability_zone);
  w.leaf("availabilityZoneId", state.availability_zone_id(sn.availability_zone));
  w.leaf("defaultForAz", false);
  w.leaf("mapPublicIpOnLaunch", sn.map_public_ip_on_launch);
  w.leaf("assignIpv6AddressOnCreation", false);
  write_tag_set(w, sn.tags);
  w.close();
}

}  // namespace ec2rk::sim
