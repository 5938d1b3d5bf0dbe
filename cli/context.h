// Set-up shared by the commands that talk to EC2, so each does only what it
// needs: load and select the configuration (kConfig/kUsage errors: nothing is
// sent), open a session (flags > config file > environment), find this
// instance's node through IMDS (--local), print progress and errors.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/config.h"
#include "cli/exit_codes.h"

namespace ec2rk::cli {

// The configuration named by --config / EC2RK_CONFIG / the default, reduced to
// `resources` (all when empty).
Result<Config> load_command_config(const App& app, const std::vector<std::string>& resources);

// kUsage error with a "did you mean" unless `node` is a configured node.
Status require_node(const Config& config, const std::string& node, std::string_view flag);

// SessionOptions from the global flags, falling back to the config file's keys.
ec2api::SessionOptions session_options(const App& app, const Config* config);

// A session through app.deps.make_session, with the --debug trace on stderr.
Result<ec2api::Session> open_session(App& app, const Config* config);

// The node whose instance id IMDS reports for this machine.
Result<std::string> local_node(const ec2api::Session& session, const Config& config);

ec2api::Clock& app_clock(const App& app);

// "ec2rk: <line>" on stderr.
void progress(const App& app, std::string_view line);

// Prints `e` (the one place errors are printed) and returns its exit code.
int fail(const App& app, const Error& e);

}  // namespace ec2rk::cli
