#include "cli/app.h"

#include <unistd.h>
#include <syslog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/suggest.h"
#include "cli/terminal.h"

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
          CLI::ignore_case))
      ->option_text("table|json");
  cli.add_flag("--debug", g.debug, "Trace requests on stderr (secrets redacted)");
}

// Options of the top-level app that take a value (to skip it when looking for the command).
bool global_takes_value(const std::string& arg) {
  for (const char* o : {"--config", "--region", "--profile", "--endpoint-url", "--output"})
    if (arg == o) return true;
  return false;
}

// The first word that is neither an option nor a global option's value.
std::string first_command_word(const std::vector<std::string>& argv) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") return "";
    if (global_takes_value(a)) {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] == '-') continue;
    return a;
  }
  return "";
}

// --help anywhere (before "--") means: print help, run nothing. CLI11 runs
// subcommand callbacks before it acts on help flags, so they are switched off.
bool help_requested(const std::vector<std::string>& argv) {
  for (const auto& a : argv) {
    if (a == "--") return false;
    if (a == "-h" || a == "--help" || a == "--help-all") return true;
  }
  return false;
}

}  // namespace

void build_cli(CLI::App& cli, App& app) {
  cli.description("ec2rk moves a cluster's virtual IP routes and Elastic IPs between EC2 nodes.");
  cli.name("ec2rk");
  cli.set_version_flag("--version", "ec2rk " EC2RK_VERSION "\n" EC2RK_LIBRARIES);
  cli.fallthrough();  // global flags are accepted after the subcommand too
  cli.require_subcommand(1);
  define_global_flags(cli, app.global);
  for (const Command& c : commands()) c.define(cli, c, app);
}

int run(App& app, const std::vector<std::string>& argv) {
  CLI::App cli;
  build_cli(cli, app);
  std::vector<std::string> names;
  for (const Command& c : commands()) names.emplace_back(c.name);
  if (help_requested(argv)) {
    for (CLI::App* sub : cli.get_subcommands([](CLI::App*) { return true; })) sub->callback({});
  }
  const std::string word = first_command_word(argv);
  if (!word.empty() && std::find(names.begin(), names.end(), word) == names.end() &&
      !help_requested(argv)) {
    print_error(app.io, "unknown command '" + word + "'" + did_you_mean(word, names));
    *app.io.err << "Run 'ec2rk --help' for the list of commands.\n";
    return to_int(ExitCode::kUsage);
  }

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
  app.io.color_out = use_color(app.io.out_tty, *app.deps.env);
  app.io.color_err = use_color(app.io.err_tty, *app.deps.env);
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
