// The ec2rk configuration file (TOML): the nodes and the resources they take
// turns holding. Loading validates everything up front; every mistake is an
// Error of kind kConfig whose message is "FILE:LINE: what was expected", so a
// command stops (exit 2) before it sends a single request.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ec2api/env.h"
#include "ec2api/result.h"

namespace ec2rk::cli {

inline constexpr std::string_view kDefaultConfigPath = "/etc/ec2rk/ec2rk.toml";

struct NodeConfig {
  std::string name;
  std::string instance_id;
};

// A virtual IP route: every route in the VPC whose destination is `destination`
// must target the active node's ENI (eni[node]).
struct RouteResource {
  std::string name;
  std::string vpc_id;
  std::string destination;  // "10.1.0.10/32", or a canonical IPv6 "/128"
  bool ipv6 = false;
  std::map<std::string, std::string> eni;  // node name -> eni-...
  // Tables that must hold the route even when it is missing there (then
  // `switchover --force` creates it). Optional; tables already holding the
  // destination are found by searching the VPC.
  std::vector<std::string> route_tables;
};

// An Elastic IP associated with the active node's ENI (and optional private IP).
struct EipResource {
  std::string name;
  std::string allocation_id;
  std::map<std::string, std::string> eni;         // node name -> eni-...
  std::map<std::string, std::string> private_ip;  // node name -> address (optional)
};

struct Config {
  std::string path;  // where it was read from (for messages)
  std::string region;
  std::string profile;
  std::string endpoint_url;
  std::vector<NodeConfig> nodes;       // sorted by name, at least two
  std::vector<RouteResource> routes;   // sorted by name
  std::vector<EipResource> eips;       // sorted by name

  const NodeConfig* node(std::string_view name) const;
  const NodeConfig* node_by_instance(std::string_view instance_id) const;
  std::vector<std::string> node_names() const;
  std::vector<std::string> resource_names() const;  // routes then eips
  bool has_resource(std::string_view name) const;
};

// --config > EC2RK_CONFIG > /etc/ec2rk/ec2rk.toml.
std::string resolve_config_path(const std::string& flag, const ec2api::Environment& env);

// Parses and validates `text` (the contents of `path`). Pure; kConfig errors only.
Result<Config> parse_config(std::string_view text, const std::string& path);

// Reads `path` and parses it. A missing or unreadable file is a kConfig error.
Result<Config> load_config(const std::string& path);

// Keeps only the named resources (all when `names` is empty). An unknown name
// is a kUsage error with a "did you mean".
Result<Config> select_resources(const Config& config, const std::vector<std::string>& names);

// Validators shared with `init` (true when well-formed).
bool valid_id(std::string_view id, std::string_view prefix);  // "eni-", "i-", ...
// Canonical form of a host route ("/32" IPv4, "/128" IPv6), or nullopt.
std::optional<std::string> canonical_host_route(std::string_view cidr, bool* ipv6 = nullptr);
bool valid_ipv4(std::string_view address);

}  // namespace ec2rk::cli
