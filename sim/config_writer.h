// Renders the ec2rk TOML configuration a scenario implies (--write-config): region, the
// endpoint the simulator serves, [nodes.*], [routes.*] and [eips.*] from the scenario's
// "ec2rk" section. The key layout is a contract with the ec2rk CLI's config parser.
#pragma once

#include <string>
#include <string_view>

#include "sim/state.h"

namespace ec2rk::sim {

std::string render_config(const Scenario& scenario, std::string_view endpoint_url);

}  // namespace ec2rk::sim
