// Secrets never reach syslog: ec2rk's App (cli/app.h) runs switchover and repair against a
// real ec2rk-sim over HTTPS with a distinctive secret key, its Deps.syslog hook capturing
// the lines it would send to syslog(3); those lines, stdout and the --debug stderr are
// searched for the secret and for anything shaped like a SigV4 signature.
// Needs EC2RK_SIM_BIN (ctest sets it); fails without it.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "ec2api/client.h"
#include "ec2api/clock.h"
#include "ec2api/env.h"

namespace ec2rk {
namespace {

constexpr const char* kAccessKey = "AKIDSYSLOGTEST000001";
constexpr const char* kSecret = "SyslogSecret/ec2rk+DoNotLeak-4b1d9e7c2a";
constexpr const char* kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// An ec2rk-sim child process in its own temporary directory; SIGTERM + wait on destruction.
class SimProcess {
 public:
  explicit SimProcess(const std::vector<std::string>& extra) {
    char tmpl[] = "/tmp/ec2rk-secrets-syslog-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    std::string scenario = read_file(std::string(EC2RK_SOURCE_DIR) + "/sim/scenarios/example.json");
    const auto at = scenario.find(kExampleSecret);
    REQUIRE(at != std::string::npos);
    scenario.replace(at, std::string(kExampleSecret).size(), kSecret);
    const auto key_at = scenario.find("\"AKIDEXAMPLE\"");
    REQUIRE(key_at != std::string::npos);
    scenario.replace(key_at, std::string("\"AKIDEXAMPLE\"").size(), std::string("\"") + kAccessKey + "\"");
    std::ofstream(dir_ + "/scenario.json") << scenario;

    int out[2];
    REQUIRE(pipe(out) == 0);
    std::vector<std::string> args = {sim_binary(), "--port", "0", "--https", "--ca-out", ca(),
                                     "--write-config", config(), "--scenario", dir_ + "/scenario.json"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[512] = {};
    const bool got = fgets(line, sizeof line, f) != nullptr;
    fclose(f);
    REQUIRE_MESSAGE(got, "ec2rk-sim printed nothing");
    REQUIRE(std::string(line).rfind("ec2rk-sim listening on https://127.0.0.1:", 0) == 0);
  }
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  static std::string sim_binary() {
    const char* p = std::getenv("EC2RK_SIM_BIN");
    return p ? p : "";
  }
  std::string ca() const { return dir_ + "/ca.pem"; }
  std::string config() const { return dir_ + "/ec2rk.toml"; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
};

struct Outcome {
  int code = 0;
  std::string out, err;
  std::vector<std::string> syslog;
};

Outcome run_ec2rk(const SimProcess& sim, const std::vector<std::string>& argv) {
  ec2api::MapEnvironment env({{"AWS_ACCESS_KEY_ID", kAccessKey},
                              {"AWS_SECRET_ACCESS_KEY", kSecret},
                              {"AWS_CA_BUNDLE", sim.ca()},
                              {"EC2RK_CONFIG", sim.config()},
                              {"AWS_EC2_METADATA_DISABLED", "true"},
                              {"AWS_CONFIG_FILE", "/nonexistent/aws-config"},
                              {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials"},
                              {"HOME", "/nonexistent"}});
  std::istringstream in;
  std::ostringstream out, err;
  Outcome o;
  cli::App app;
  app.io.in = &in;
  app.io.out = &out;
  app.io.err = &err;
  app.deps.env = &env;
  app.deps.clock = &ec2api::system_clock();
  app.deps.make_session = [&env](const ec2api::SessionOptions& options, ec2api::TraceSink trace) {
    return ec2api::make_session(options, env, std::move(trace));
  };
  app.deps.syslog = [&o](std::string_view line) { o.syslog.emplace_back(line); };
  o.code = cli::run(app, argv);
  o.out = out.str();
  o.err = err.str();
  return o;
}

// The secret in any form a leak could take: raw, percent-encoded, JSON-escaped.
void check_no_secret(const std::string& where, const std::string& text) {
  CAPTURE(where);
  CAPTURE(text);
  for (const std::string& form : {std::string(kSecret), std::string("SyslogSecret%2Fec2rk%2BDoNotLeak"),
                                  std::string("SyslogSecret\\/ec2rk"), std::string("DoNotLeak-4b1d9e7c2a")}) {
    CHECK(text.find(form) == std::string::npos);
  }
  static const std::regex kSignature("[0-9a-f]{64}");
  CHECK_FALSE(std::regex_search(text, kSignature));
}

TEST_CASE("syslog lines of switchover and repair carry request ids and never a secret or signature") {
  REQUIRE_MESSAGE(!SimProcess::sim_binary().empty(), "EC2RK_SIM_BIN must name ec2rk-sim (ctest sets it)");
  SimProcess sim({});
  Outcome moved = run_ec2rk(sim, {"--debug", "switchover", "--to", "node2", "--yes", "--timeout", "15"});
  CAPTURE(moved.err);
  REQUIRE(moved.code == 0);
  // Two routes and the Elastic IP changed: one syslog line each, with EC2's request id.
  REQUIRE(moved.syslog.size() == 3);
  static const std::regex kLine("switchover .* request-id=[0-9a-f-]{36} outcome=ok");
  for (const auto& line : moved.syslog) {
    CAPTURE(line);
    CHECK(std::regex_search(line, kLine));
    check_no_secret("syslog", line);
  }
  // The trace did sign requests (so the search above is not vacuous) and redacted them.
  CHECK(moved.err.find("Signature=<redacted>") != std::string::npos);
  check_no_secret("stdout", moved.out);
  check_no_secret("stderr", moved.err);

  Outcome json = run_ec2rk(sim, {"--debug", "--output", "json", "switchover", "--to", "node1", "--yes"});
  REQUIRE(json.code == 0);
  REQUIRE(json.syslog.size() == 3);
  for (const auto& line : json.syslog) check_no_secret("syslog", line);
  check_no_secret("stdout", json.out);
  check_no_secret("stderr", json.err);

  // Everything is on node1 again; node2's claim re-asserted moves it all back.
  Outcome repaired = run_ec2rk(sim, {"--debug", "repair", "--node", "node2", "--yes", "--timeout", "15"});
  CAPTURE(repaired.err);
  CHECK(repaired.code == 0);
  CHECK(repaired.syslog.size() == 3);
  for (const auto& line : repaired.syslog) {
    CAPTURE(line);
    CHECK(line.rfind("repair ", 0) == 0);
    check_no_secret("syslog", line);
  }
  check_no_secret("stderr", repaired.err);
}

TEST_CASE("syslog lines of a failed change name the AWS code, never a secret") {
  REQUIRE_MESSAGE(!SimProcess::sim_binary().empty(), "EC2RK_SIM_BIN must name ec2rk-sim (ctest sets it)");
  SimProcess sim({"--fail", "AssociateAddress"});
  Outcome o = run_ec2rk(sim, {"--debug", "switchover", "--to", "node2", "--yes", "--timeout", "5"});
  CAPTURE(o.err);
  CHECK(o.code == 5);
  bool failed_line = false;
  for (const auto& line : o.syslog) {
    CAPTURE(line);
    failed_line |= line.find("outcome=failed (UnauthorizedOperation)") != std::string::npos;
    check_no_secret("syslog", line);
  }
  CHECK(failed_line);
  check_no_secret("stdout", o.out);
  check_no_secret("stderr", o.err);
}

}  // namespace
}  // namespace ec2rk
