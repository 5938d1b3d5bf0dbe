// The ec2rk application object: global flags, the IO streams (with per-stream TTY
// knowledge) and the injected dependencies every command runs against. Commands
// get everything from here, so tests can drive argv -> stdout/stderr/exit code.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "ec2api/client.h"
#include "ec2api/env.h"
#include "ec2api/result.h"

namespace CLI {
class App;
}

namespace ec2rk::cli {

enum class OutputFormat { kTable, kJson };

struct GlobalOptions {
  std::string config_path;  // --config > EC2RK_CONFIG > /etc/ec2rk/ec2rk.toml
  std::string region;
  std::string profile;
  std::string endpoint_url;
  OutputFormat output = OutputFormat::kTable;
  bool debug = false;
};

// Where data (out), chatter (err) and answers (in) go; which of them are terminals.
struct Io {
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  bool in_tty = false;
  bool out_tty = false;
  bool err_tty = false;
  bool color_out = false;  // decided once by terminal.h's policy
  bool color_err = false;
};

// Seams the commands use; main() fills them with the real ones, tests with fakes.
struct Deps {
  const ec2api::Environment* env = nullptr;
  std::function<Result<ec2api::Session>(const ec2api::SessionOptions&, ec2api::TraceSink)>
      make_session;
  ec2api::Clock* clock = nullptr;
  // Writes one line to syslog (switchover/repair changes). Default: syslog(3).
  std::function<void(std::string_view line)> syslog;
};

struct App {
  GlobalOptions global;
  Io io;
  Deps deps;
  int exit_code = 0;
};

// Defines ec2rk's whole command tree on `cli`: the global flags and every command of
// the table, bound to `app`. run() uses it; the docs-sync test walks the same tree.
void build_cli(CLI::App& cli, App& app);

// Parses argv, runs the command, returns the process exit code.
int run(App& app, const std::vector<std::string>& argv);

// The real dependencies and streams (stdin/stdout/stderr, isatty, getenv, syslog).
App make_default_app();

}  // namespace ec2rk::cli
