#include "cli/app.h"

#include <unistd.h>
#include <syslog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

#ifndef EC2RK_VERSION
#define EC2RK_VERSION "0.0.0"
#endif

namespace ec2rk::cli {
namespace {

void define_global_flags(CLI::App& cli, GlobalOptions& g) {
  cli.add_option("--config", g.config_path,
                 "Configuration file (default: $EC2RK_CONFIG or /etc/ec2rk/ec2rk.toml)");
  cli.add_option("--region", g.region, "AWS region (default: AWS_REGION, profile, IMDS)");
  cli.add_option("--profile", g.profile, "Profile in the shared AWS config/credentials files");
  cli.add_option("--endpoint-url", g.endpoint_url,
                 "EC2 endpoint URL (e.g. a VPC endpoint or ec2rk-sim)");
  cli.add_option("--output", g.output, "Output format")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, OutputFormat>{{"table", OutputFormat::kTable},
                                              {"json", OutputFormat::kJson}},
          CLI::ignore_case));
  cli.add_flag("--debug", g.debug, "Trace requests on stderr (secrets redacted)");
}

}  // namespace

int run(App& app, const std::vector<std::string>& argv) {
  CLI::App cli("ec2rk moves a cluster's virtual IP routes and Elastic IPs between EC2 nodes.",
               "ec2rk");
  cli.set_version_flag("--version", "ec2rk " EC2RK_VERSION);
  cli.fallthrough();  // global flags are accepted after the subcommand too
  cli.require_subcommand(1);
  define_global_flags(cli, app.global);
  for (const Command& c : commands()) c.define(cli, c, app);

  std::vector<std::string> args(argv.rbegin(), argv.rend());  // CLI11 wants them reversed
  try {
    cli.parse(args);
  } catch (const CLI::CallForHelp& e) {
    *app.io.out << cli.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    *app.io.out << cli.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    *app.io.out << e.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    print_error(app.io, e.what());
    *app.io.err << "Run 'ec2rk --help' for usage.\n";
    return to_int(ExitCode::kUsage);
  }
  return app.exit_code;
}

App make_default_app() {
  App app;
  app.io.in = &std::cin;
  app.io.out = &std::cout;
  app.io.err = &std::cerr;
  app.io.in_tty = isatty(STDIN_FILENO) == 1;
  app.io.out_tty = isatty(STDOUT_FILENO) == 1;
  app.io.err_tty = isatty(STDERR_FILENO) == 1;
  app.deps.env = &ec2api::process_environment();
  app.deps.clock = &ec2api::system_clock();
  app.deps.make_session = [](const ec2api::SessionOptions& o, ec2api::TraceSink trace) {
    return ec2api::make_session(o, ec2api::process_environment(), std::move(trace));
  };
  app.deps.syslog = [](std::string_view line) {
    openlog("ec2rk", LOG_PID, LOG_USER);
    syslog(LOG_NOTICE, "%.*s", static_cast<int>(line.size()), line.data());
  };
  return app;
}

}  // namespace ec2rk::cli
