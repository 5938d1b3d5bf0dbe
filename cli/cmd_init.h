// `ec2rk init [--output-file FILE] [--instance-id ID] [--peer-instance-id ID]`:
// interactive set-up. Finds this instance (instance metadata, or asks), asks
// for the other node, discovers the VPC's /32 routes outside the VPC CIDR and
// the Elastic IPs, asks which to manage and which ENI each node uses, and
// writes the configuration file — never over an existing one without asking.
// Questions go to stderr, answers come from stdin (so it can be scripted).
#pragma once

#include <string>

#include "cli/commands.h"
#include "cli/config.h"

namespace ec2rk::cli {

struct InitOptions {
  std::string output_file;  // default: --config / EC2RK_CONFIG / /etc/ec2rk/ec2rk.toml
  std::string instance_id;  // this node (default: from IMDS)
  std::string peer_instance_id;
};

int run_init(App& app, const InitOptions& options);
void define_init(CLI::App& parent, const Command& self, App& app);

// The TOML text for `config` (what init writes; parse_config reads it back).
std::string format_config(const Config& config);

}  // namespace ec2rk::cli
