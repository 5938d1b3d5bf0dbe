#include "cli/context.h"

#include <mutex>
#include <ostream>

#include "cli/output.h"
#include "cli/suggest.h"

namespace ec2rk::cli {

Result<Config> load_command_config(const App& app, const std::vector<std::string>& resources) {
  const ec2api::Environment& env = app.deps.env ? *app.deps.env : ec2api::process_environment();
  auto config = load_config(resolve_config_path(app.global.config_path, env));
  if (!config) return config.error();
  return select_resources(*config, resources);
}

Status require_node(const Config& config, const std::string& node, std::string_view flag) {
  if (config.node(node) != nullptr) return ok_status();
  std::string names;
  for (const auto& n : config.node_names()) names += (names.empty() ? "" : ", ") + n;
  return make_error(ErrorKind::kUsage, std::string(flag) + " " + node + ": no such node in " +
                                           config.path + did_you_mean(node, config.node_names()) +
                                           "; nodes are: " + names);
}

ec2api::SessionOptions session_options(const App& app, const Config* config) {
  ec2api::SessionOptions o;
  o.region = app.global.region;
  o.profile = app.global.profile;
  o.endpoint_url = app.global.endpoint_url;
  o.debug = app.global.debug;
  if (config != nullptr) {
    if (o.region.empty()) o.region = config->region;
    if (o.profile.empty()) o.profile = config->profile;
    if (o.endpoint_url.empty()) o.endpoint_url = config->endpoint_url;
  }
  return o;
}

Result<ec2api::Session> open_session(App& app, const Config* config) {
  if (!app.deps.make_session) return make_error(ErrorKind::kConfig, "no session factory");
  auto mu = std::make_shared<std::mutex>();
  std::ostream* err = app.io.err;
  ec2api::TraceSink trace;
  if (app.global.debug) {
    trace = [mu, err](std::string_view line) {
      std::lock_guard<std::mutex> lock(*mu);
      *err << "ec2rk: debug: " << line << "\n";
    };
  }
  ec2api::SessionOptions options = session_options(app, config);
  // Warnings (a credentials file others can read, a clock-skew correction) are for the user
  // even without --debug; left empty, the session would send them to the trace only.
  options.warn = [mu, err](std::string_view line) {
    std::lock_guard<std::mutex> lock(*mu);
    *err << "ec2rk: warning: " << line << "\n";
  };
  return app.deps.make_session(options, std::move(trace));
}

Result<std::string> local_node(const ec2api::Session& session, const Config& config) {
  if (!session.imds) return make_error(ErrorKind::kCredentials, "instance metadata is not available");
  auto id = session.imds->get("meta-data/instance-id");
  if (!id) {
    Error e = id.error();
    e.message = "--local: cannot read this instance's id from instance metadata: " + e.message;
    return e;
  }
  if (const NodeConfig* n = config.node_by_instance(*id)) return n->name;
  return make_error(ErrorKind::kUsage, "--local: this instance (" + *id + ") is not a node in " + config.path);
}

ec2api::Clock& app_clock(const App& app) {
  return app.deps.clock ? *app.deps.clock : ec2api::system_clock();
}

void progress(const App& app, std::string_view line) { *app.io.err << "ec2rk: " << line << "\n"; }

int fail(const App& app, const Error& e) {
  print_error(app.io, e);
  return to_int(exit_code_for(e));
}

}  // namespace ec2rk::cli
