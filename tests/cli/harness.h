// Runs ec2rk commands end to end in-process: argv -> stdout, stderr, exit code,
// against a FakeTransport (fails on an unmatched request and on an unused stub),
// a fake clock and a temporary configuration file.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/app.h"
#include "ec2api/credentials.h"
#include "tests/cli/fixture.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"

namespace ec2rk::cli::test {

class FakeImds : public ec2api::Imds {
 public:
  std::string instance_id;
  Result<std::string> get(std::string_view path) override {
    if (path == "meta-data/instance-id" && !instance_id.empty()) return instance_id;
    return make_error(ErrorKind::kNetwork, "instance metadata unreachable");
  }
};

struct Harness {
  std::shared_ptr<testing::FakeTransport> transport = std::make_shared<testing::FakeTransport>();
  std::shared_ptr<FakeImds> imds = std::make_shared<FakeImds>();
  testing::FakeClock clock;
  ec2api::MapEnvironment env;
  std::istringstream in;
  std::ostringstream out, err;
  std::vector<std::string> syslog;
  std::vector<ec2api::SessionOptions> sessions;  // every make_session call
  std::string dir;
  std::string config_path;
  App app;

  explicit Harness(const std::string& config_text = kConfigText) {
    char tmpl[] = "/tmp/ec2rk-cli-test-XXXXXX";
    dir = mkdtemp(tmpl);
    config_path = dir + "/ec2rk.toml";
    std::ofstream(config_path) << config_text;
    env.set("EC2RK_CONFIG", config_path);
    app.io.in = &in;
    app.io.out = &out;
    app.io.err = &err;
    app.deps.env = &env;
    app.deps.clock = &clock;
    app.deps.syslog = [this](std::string_view line) { syslog.emplace_back(line); };
    app.deps.make_session = [this](const ec2api::SessionOptions& o, ec2api::TraceSink trace) {
      sessions.push_back(o);
      ec2api::Session s;
      s.region = "us-east-1";
      s.endpoint_url = "https://ec2.test";
      s.transport = transport;
      s.credentials = ec2api::make_static_credentials({"AKIDEXAMPLE", "secret", ""});
      s.imds = imds;
      s.client_options.region = s.region;
      s.client_options.endpoint_url = s.endpoint_url;
      s.trace = std::move(trace);
      return Result<ec2api::Session>(std::move(s));
    };
  }
  ~Harness() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  int run(const std::vector<std::string>& argv, const std::string& stdin_text = "") {
    in.str(stdin_text);
    in.clear();
    return ec2rk::cli::run(app, argv);
  }

  // One observe round: the four Describe calls for the example config.
  void stub_observe(const ObservedState& s) {
    stub_reads(s);
    std::vector<ec2api::NetworkInterface> enis;
    for (const auto& [id, n] : s.enis) enis.push_back(n);
    std::vector<ec2api::Instance> instances;
    for (const auto& [id, i] : s.instances) instances.push_back(i);
    transport->on("DescribeNetworkInterfaces", 200, enis_xml(enis));
    transport->on("DescribeInstances", 200, instances_xml(instances));
  }
  // A verify round: route tables and addresses only.
  void stub_reads(const ObservedState& s) {
    transport->on("DescribeRouteTables", 200, route_tables_xml(s.routes.at("vip").tables));
    std::vector<ec2api::Address> addresses;
    if (s.eips.at("web")) addresses.push_back(*s.eips.at("web"));
    transport->on("DescribeAddresses", 200, addresses_xml(addresses));
  }

  size_t mutations() const {
    return transport->requests_for("ReplaceRoute").size() + transport->requests_for("CreateRoute").size() +
           transport->requests_for("AssociateAddress").size() +
           transport->requests_for("DisassociateAddress").size();
  }
};

// The example state after a switchover to node2.
inline ObservedState on_node2() {
  ObservedState s = on_node1();
  s.routes["vip"].tables = {table(kTableA, {vip_route(kVipEni2)}, "subnet-0000000a"),
                            table(kTableB, {vip_route(kVipEni2)}, "subnet-0000000b")};
  s.eips["web"] = address(kWebEni2, "10.0.4.12");
  return s;
}

}  // namespace ec2rk::cli::test
