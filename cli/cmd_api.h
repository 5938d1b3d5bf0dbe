// `ec2rk api ACTION [Key=Value ...]`: signs and sends any EC2 Query action and
// prints the response body. The troubleshooting escape hatch.
#pragma once

#include "cli/commands.h"

namespace ec2rk::cli {

void define_api(CLI::App& parent, const Command& self, App& app);

}  // namespace ec2rk::cli
