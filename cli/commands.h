// The subcommand table: one row per command drives registration, --help and
// "did you mean". Each command lives in cmd_<name>.{h,cpp} and exposes a
// register function that adds its subcommand and flags to the CLI11 app.
#pragma once

#include <span>
#include <string_view>

namespace CLI {
class App;
}

namespace ec2rk::cli {

struct App;

struct Command {
  std::string_view name;
  std::string_view summary;
  // Adds the subcommand (named `name`, described by `summary`) and its flags;
  // its callback runs the command and stores the exit code in app.exit_code.
  void (*define)(CLI::App& parent, const Command& self, App& app);
};

std::span<const Command> commands();

}  // namespace ec2rk::cli
