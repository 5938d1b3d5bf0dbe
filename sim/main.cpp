// ec2rk-sim: a local EC2 Query API + IMDSv2 endpoint for demos, tests and benchmarks.
// Parses flags, loads the scenario, starts the servers, prints the listening lines, and runs
// until SIGINT/SIGTERM (exit 0). Everything else lives in sim_lib (see README.md).
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/config_writer.h"
#include "sim/imds.h"
#include "sim/server.h"
#include "sim/simulator.h"
#include "sim/state.h"
#include "sim/tls.h"

namespace {

using namespace ec2rk::sim;

int fail(const std::string& message) {
  std::cerr << "ec2rk-sim: error: " << message << "\n";
  return 2;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

// A node name from the scenario's ec2rk section, or an instance id.
std::string resolve_instance(const Scenario& sc, const std::string& node) {
  for (const auto& n : sc.ec2rk.nodes) {
    if (n.name == node) return n.instance_id;
  }
  return sc.state.instance(node) ? node : "";
}

}  // namespace

int main(int argc, char** argv) {
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // writes to dropped connections must fail, not kill us

  CLI::App app{
      "ec2rk-sim: a local EC2 Query API and IMDSv2 endpoint with SigV4 checking and fault "
      "injection.\n"
      "Prints \"ec2rk-sim listening on <URL>\" first, then one line per IMDS endpoint, and serves\n"
      "until SIGINT/SIGTERM. Loopback only. See sim/README.md.",
      "ec2rk-sim"};
  app.set_version_flag("--version", std::string("ec2rk-sim ") + EC2RK_VERSION);
  std::string scenario_arg = "example";
  int route_tables = 0;
  int port = 0;
  bool https = false;
  std::string ca_out;
  std::string write_config;
  std::vector<std::string> imds_args;
  int64_t imds_credential_ttl = 3600;
  int64_t imds_token_cap = 0;
  int latency_ms = 0;
  std::string throttle = "default";
  double error_rate = 0;
  double drop_rate = 0;
  int stale_ms = 0;
  std::vector<std::string> fail_args;
  int64_t clock_skew = 0;
  uint64_t seed = 1;
  int threads = 64;
  bool verbose = false;

  app.add_option("--scenario", scenario_arg, "\"example\" (built in) or a JSON scenario file")
      ->capture_default_str();
  app.add_option("--route-tables", route_tables,
                 "add N route tables (vip-extra-NNN) to the VIP's VPC, each routing the VIP to the "
                 "first node")
      ->check(CLI::Range(0, 100000));
  app.add_option("--port", port, "EC2 endpoint port on 127.0.0.1; 0 picks a free one")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_flag("--https", https,
               "serve TLS with a certificate for 127.0.0.1/localhost from a CA made at start");
  app.add_option("--ca-out", ca_out, "write that CA's PEM to FILE (with --https)");
  app.add_option("--write-config", write_config,
                 "write an ec2rk TOML configuration for the scenario and this endpoint to FILE "
                 "(before the listening line)");
  app.add_option("--imds", imds_args,
                 "serve IMDSv2 for NODE (an ec2rk node name or instance id) on 127.0.0.1:PORT (0: "
                 "free port); "
                 "repeatable")
      ->type_name("NODE=PORT");
  app.add_option("--imds-credential-ttl-s", imds_credential_ttl,
                 "lifetime of IMDS role credentials")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{43200}));
  app.add_option("--imds-token-ttl-cap-s", imds_token_cap,
                 "cap IMDS token lifetimes at S seconds whatever the client asks (0: no cap)")
      ->check(CLI::Range(int64_t{0}, int64_t{21600}));
  app.add_option("--latency-ms", latency_ms,
                 "delay every EC2 response (and dropped connection) by L ms")
      ->check(CLI::Range(0, 600000));
  app.add_option("--throttle", throttle,
                 "default (EC2's per-action token buckets), off, or BURST:RATE for every action")
      ->capture_default_str();
  app.add_option("--error-rate", error_rate, "probability of 500 InternalError / 503 Unavailable")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--drop-rate", drop_rate,
                 "probability of closing the connection without a response")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--stale-ms", stale_ms, "reads within T ms of a write see the state before it")
      ->check(CLI::Range(0, 3600000));
  app.add_option(
      "--fail", fail_args,
      "ACTION[:RESOURCE_ID]: that call always fails with 403 UnauthorizedOperation; repeatable");
  app.add_option(
      "--clock-skew-s", clock_skew,
      "pretend the clock is S seconds off (Date header, signature time check, IMDS expirations)");
  app.add_option("--seed", seed, "seed for the random faults")->capture_default_str();
  app.add_option("--threads", threads, "worker threads of the EC2 endpoint")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_flag("-v,--verbose", verbose, "log one line per EC2 request to stderr (never secrets)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  FaultConfig faults;
  faults.latency_ms = latency_ms;
  auto throttle_config = parse_throttle(throttle);
  if (!throttle_config)
    return fail("--throttle: expected default, off or BURST:RATE, got " + throttle);
  faults.throttle = *throttle_config;
  faults.error_rate = error_rate;
  faults.drop_rate = drop_rate;
  faults.stale_ms = stale_ms;
  faults.clock_skew_s = clock_skew;
  faults.seed = seed;
  for (const auto& f : fail_args) {
    auto rule = parse_fail_rule(f);
    if (!rule) return fail("--fail: expected ACTION[:RESOURCE_ID], got " + f);
    faults.fail.push_back(*rule);
  }
  if (!ca_out.empty() && !https) return fail("--ca-out needs --https");

  auto loaded = load_scenario(scenario_arg);
  if (!loaded.ok()) return fail(loaded.error().message);
  Scenario scenario = std::move(loaded.value());
  add_route_tables(scenario, route_tables);

  struct ImdsSpec {
    std::string node;
    std::string instance_id;
    int port;
  };
  std::vector<ImdsSpec> imds_specs;
  for (const auto& arg : imds_args) {
    size_t eq = arg.rfind('=');
    if (eq == std::string::npos || eq == 0) return fail("--imds: expected NODE=PORT, got " + arg);
    std::string node = arg.substr(0, eq);
    std::string port_text = arg.substr(eq + 1);
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port_text) > 65535) {
      return fail("--imds: bad port in " + arg);
    }
    std::string instance_id = resolve_instance(scenario, node);
    if (instance_id.empty())
      return fail("--imds: no node or instance named " + node + " in the scenario");
    imds_specs.push_back({node, instance_id, std::stoi(port_text)});
  }

  std::unique_ptr<TlsMaterial> tls;
  if (https) {
    auto made = TlsMaterial::generate();
    if (!made.ok()) return fail(made.error().message);
    tls = std::move(made.value());
    if (!ca_out.empty() && !write_file(ca_out, tls->ca_pem()))
      return fail("cannot write " + ca_out);
  }

  SystemClock clock;
  Simulator sim(scenario, faults, clock);
  std::mutex log_mu;
  ServeOptions options;
  options.port = port;
  options.threads = threads;
  options.tls = tls.get();
  if (verbose) {
    options.log = [&log_mu](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu);
      std::cerr << "ec2rk-sim: " << line << std::endl;
    };
  }
  Ec2Server ec2(sim, options);
  std::string error;
  if (ec2.bind(&error) < 0) return fail(error);

  std::vector<std::unique_ptr<Imds>> imds;
  std::vector<std::unique_ptr<ImdsServer>> imds_servers;
  ImdsOptions imds_options{imds_credential_ttl, imds_token_cap};
  for (const auto& spec : imds_specs) {
    imds.push_back(std::make_unique<Imds>(sim, spec.instance_id, imds_options));
    imds_servers.push_back(std::make_unique<ImdsServer>(*imds.back(), "127.0.0.1", spec.port));
    if (imds_servers.back()->bind(&error) < 0) return fail("--imds " + spec.node + ": " + error);
  }

  if (!write_config.empty() && !write_file(write_config, render_config(scenario, ec2.url()))) {
    return fail("cannot write " + write_config);
  }

  std::vector<std::thread> threads_running;
  threads_running.emplace_back([&ec2] { ec2.run(); });
  for (auto& s : imds_servers) threads_running.emplace_back([&s] { s->run(); });
  // Only announce (and only accept a stop) once every server is accepting: httplib ignores a
  // stop() that comes before its accept loop has started.
  auto all_running = [&] {
    if (!ec2.running()) return false;
    for (auto& s : imds_servers) {
      if (!s->running()) return false;
    }
    return true;
  };
  while (!all_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  std::cout << "ec2rk-sim listening on " << ec2.url() << "\n";
  for (size_t i = 0; i < imds_servers.size(); ++i) {
    std::cout << "ec2rk-sim imds " << imds_specs[i].node << " listening on "
              << imds_servers[i]->url() << "\n";
  }
  std::cout.flush();

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  ec2.stop();
  for (auto& s : imds_servers) s->stop();
  for (auto& t : threads_running) t.join();
  return 0;
}
