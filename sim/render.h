// XML fragments for the simulator's resources, element for element as EC2 writes them
// (see ../shared/testdata/ec2-xml): shared by the Describe* handlers.
#pragma once

#include <string>
#include <string_view>

#include "sim/state.h"
#include "sim/xml_writer.h"

namespace ec2rk::sim {

std::string private_dns_name(const State& state, std::string_view ip);  // ip-10-0-2-11.ec2.internal
std::string public_dns_name(const State& state,
                            std::string_view ip);  // ec2-203-0-113-10.compute-1...

void write_tag_set(XmlWriter& w, const Tags& tags);
void write_route_table(XmlWriter& w, const State& state, const RouteTable& rt);
void write_address(XmlWriter& w, const State& state, const Address& a);
// `for_instance`: the shorter form nested in DescribeInstances' networkInterfaceSet.
void write_network_interface(XmlWriter& w, const State& state, const NetworkInterface& e,
                             bool for_instance);
void write_instance(XmlWriter& w, const State& state, const Instance& in);
void write_vpc(XmlWriter& w, const State& state, const Vpc& vpc);
void write_subnet(XmlWriter& w, const State& state, const Subnet& sn);

}  // namespace ec2rk::sim
