#include "sim/actions.h"

#include <algorithm>

namespace ec2rk::sim {
namespace {

// Parameter shapes every Describe* with filters and paging accepts.
#define EC2RK_FILTER_PARAMS "Filter.N.Name", "Filter.N.Value.N"
#define EC2RK_ROUTE_TARGETS                                                                    \
  "NetworkInterfaceId", "InstanceId", "GatewayId", "NatGatewayId", "VpcPeeringConnectionId",   \
      "TransitGatewayId", "EgressOnlyInternetGatewayId", "LocalGatewayId", "CarrierGatewayId", \
      "VpcEndpointId", "CoreNetworkArn", "OdbNetworkArn", "DestinationIpv6CidrBlock",          \
      "DestinationPrefixListId"

}  // namespace

const std::vector<ActionSpec>& action_table() {
  static const std::vector<ActionSpec> kTable = {
      {"DescribeRouteTables",
       false,
       {"RouteTableId.N", EC2RK_FILTER_PARAMS, "MaxResults", "NextToken"},
       describe_route_tables,
       nullptr,
       ""},
      {"DescribeAddresses",
       false,
       {"AllocationId.N", "PublicIp.N", EC2RK_FILTER_PARAMS},
       describe_addresses,
       nullptr,
       ""},
      {"DescribeNetworkInterfaces",
       false,
       {"NetworkInterfaceId.N", EC2RK_FILTER_PARAMS, "MaxResults", "NextToken",
        "IncludeManagedResources"},
       describe_network_interfaces,
       nullptr,
       ""},
      {"DescribeInstances",
       false,
       {"InstanceId.N", EC2RK_FILTER_PARAMS, "MaxResults", "NextToken", "IncludeManagedResources"},
       describe_instances,
       nullptr,
       ""},
      {"DescribeVpcs",
       false,
       {"VpcId.N", EC2RK_FILTER_PARAMS, "MaxResults", "NextToken"},
       describe_vpcs,
       nullptr,
       ""},
      {"DescribeSubnets",
       false,
       {"SubnetId.N", EC2RK_FILTER_PARAMS, "MaxResults", "NextToken"},
       describe_subnets,
       nullptr,
       ""},
      {"CreateRoute",
       true,
       {"RouteTableId", "DestinationCidrBlock", EC2RK_ROUTE_TARGETS},
       nullptr,
       create_route,
       "RouteTableId"},
      {"ReplaceRoute",
       true,
       {"RouteTableId", "DestinationCidrBlock", "LocalTarget", EC2RK_ROUTE_TARGETS},
       nullptr,
       replace_route,
       "RouteTableId"},
      {"DeleteRoute",
       true,
       {"RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock",
        "DestinationPrefixListId"},
       nullptr,
       delete_route,
       "RouteTableId"},
      {"AssociateAddress",
       true,
       {"AllocationId", "PublicIp", "InstanceId", "NetworkInterfaceId", "PrivateIpAddress",
        "AllowReassociation"},
       nullptr,
       associate_address,
       "AllocationId"},
      {"DisassociateAddress",
       true,
       {"AssociationId", "PublicIp"},
       nullptr,
       disassociate_address,
       "AssociationId"},
      {"ModifyNetworkInterfaceAttribute",
       true,
       {"NetworkInterfaceId", "SourceDestCheck.Value", "Description.Value", "SecurityGroupId.N",
        "Attachment.AttachmentId", "Attachment.DeleteOnTermination"},
       nullptr,
       modify_network_interface_attribute,
       "NetworkInterfaceId"},
      {"StopInstances",
       true,
       {"InstanceId.N", "Force", "Hibernate"},
       nullptr,
       stop_instances,
       "InstanceId.1"},
      {"StartInstances",
       true,
       {"InstanceId.N", "AdditionalInfo"},
       nullptr,
       start_instances,
       "InstanceId.1"},
  };
  return kTable;
}

const ActionSpec* find_action(std::string_view name) {
  for (const auto& spec : action_table()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

Ec2Error check_known_params(const ActionSpec& spec, const Params& params) {
  for (const auto& [name, value] : params.all()) {
    if (name == "Action" || name == "Version" || name == "DryRun") continue;
    std::string shape = param_shape(name);
    if (std::find(spec.params.begin(), spec.params.end(), shape) == spec.params.end()) {
      return ec2_error("UnknownParameter", "The parameter " + name + " is not recognized");
    }
  }
  return {};
}

std::string resource_arn(const State& state, std::string_view id) {
  if (id.empty()) return "*";
  struct Kind {
    std::string_view prefix;
    std::string_view type;
  };
  static constexpr Kind kKinds[] = {
      {"rtb-", "route-table"},     {"eni-", "network-interface"},
      {"eipalloc-", "elastic-ip"}, {"eipassoc-", "elastic-ip"},
      {"i-", "instance"},          {"vpc-", "vpc"},
      {"subnet-", "subnet"},       {"igw-", "internet-gateway"},
  };
  std::string type = "*";
  for (const auto& k : kKinds) {
    if (id.substr(0, k.prefix.size()) == k.prefix) {
      type = std::string(k.type);
      break;
    }
  }
  return "arn:aws:ec2:" + state.region + ":" + state.account_id + ":" + type + "/" +
         std::string(id);
}

}  // namespace ec2rk::sim
