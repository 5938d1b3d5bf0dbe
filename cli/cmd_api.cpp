// `ec2rk api ACTION [Key=Value ...]`: the raw escape hatch. Reads no ec2rk config
// file: only the AWS session (flags, environment, ~/.aws files, IMDS).
#include "cli/cmd_api.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "cli/app.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "ec2api/query.h"

namespace ec2rk::cli {
namespace {

struct ApiOptions {
  std::string action;
  std::vector<std::string> params;  // "Key=Value"
};

// Parses "Key=Value" pairs (split at the first '='; the value may be empty or contain '=').
Result<ec2api::Query> build_query(const ApiOptions& o) {
  ec2api::Query q;
  q.action = o.action;
  for (const std::string& p : o.params) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return make_error(ErrorKind::kUsage, "api: expected Key=Value, got '" + p + "'");
    }
    q.add(p.substr(0, eq), p.substr(eq + 1));
  }
  return q;
}

void run_api(App& app, const ApiOptions& o) {
  auto query = build_query(o);
  if (!query) {
    print_error(app.io, query.error());
    app.exit_code = to_int(ExitCode::kUsage);
    return;
  }
  std::ostream& err = *app.io.err;
  ec2api::TraceSink trace;
  if (app.global.debug) {
    trace = [&err](std::string_view line) { err << "debug: " << line << "\n" << std::flush; };
  }
  ec2api::SessionOptions so;
  so.region = app.global.region;
  so.profile = app.global.profile;
  so.endpoint_url = app.global.endpoint_url;
  so.debug = app.global.debug;
  so.warn = [&err](std::string_view line) { err << "ec2rk: warning: " << line << "\n"; };
  if (!app.deps.make_session) {
    print_error(app.io, "api: no session factory");
    app.exit_code = to_int(ExitCode::kFailed);
    return;
  }
  auto session = app.deps.make_session(so, trace);
  if (!session) {
    print_error(app.io, session.error());
    app.exit_code = to_int(exit_code_for(session.error()));
    return;
  }
  ec2api::Clock& clock = app.deps.clock != nullptr ? *app.deps.clock : ec2api::system_clock();
  auto client = session->make_client(clock);
  auto response = client->call(query.value());
  if (!response) {
    print_error(app.io, response.error());
    app.exit_code = to_int(exit_code_for(response.error()));
    return;
  }
  *app.io.out << response->body;
  if (response->body.empty() || response->body.back() != '\n') *app.io.out << "\n";
  app.exit_code = to_int(ExitCode::kOk);
}

}  // namespace

void define_api(CLI::App& parent, const Command& self, App& app) {
  auto opts = std::make_shared<ApiOptions>();
  auto* sub = parent.add_subcommand(std::string(self.name), std::string(self.summary));
  sub->add_option("action", opts->action, "EC2 action, e.g. DescribeRouteTables")->required();
  sub->add_option("params", opts->params,
                  "Query parameters as Key=Value, e.g. Filter.1.Name=vpc-id Filter.1.Value.1=vpc-1");
  sub->footer(
      "Signs and sends one EC2 Query API call (POST, API version 2016-11-15) and prints the\n"
      "XML response on stdout. Lists are 1-based: RouteTableId.1=rtb-..., Filter.1.Name=...\n"
      "On an EC2 error prints the message, code and request id on stderr and exits 1.\n"
      "Example: ec2rk api DescribeRouteTables Filter.1.Name=vpc-id Filter.1.Value.1=vpc-0abc\n");
  sub->callback([&app, opts] { run_api(app, *opts); });
}

}  // namespace ec2rk::cli
