// Regressions from the fault matrix (tests/integration/fault_matrix.py):
// - TwoOperators: `switchover --to node1` reported success while `--to node2` moved a table it
//   had found already on node1: verification looked only at the calls it made.
// - Latency: `--timeout 5` ran 6 s, because apply/verify got a fresh --timeout after the
//   reads, and the closing read could run 5 s past the deadline.
// The EC2 side is a small in-memory model behind the HttpTransport seam, so the verifier can
// poll any number of times and other writers can act between rounds.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "cli/app.h"
#include "cli/executor.h"
#include "cli/planner.h"
#include "ec2api/credentials.h"
#include "tests/cli/fixture.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"

namespace ec2rk::cli::test {
namespace {

// Serves the example cluster from `state`; ReplaceRoute and AssociateAddress change it.
// Every batch takes `latency` of fake time; `after_batch` lets another writer act.
class ModelTransport : public ec2api::HttpTransport {
 public:
  ModelTransport(ObservedState s, testing::FakeClock& clock) : state(std::move(s)), clock_(clock) {}

  std::vector<Result<ec2api::HttpResponse>> send_all(const std::vector<ec2api::HttpRequest>& requests) override {
    std::vector<Result<ec2api::HttpResponse>> out;
    // As curl does: a request capped below the latency times out (and is not applied).
    std::chrono::milliseconds cap = latency;
    for (const auto& r : requests)
      if (r.timeout.count() > 0) cap = std::min(cap, r.timeout);
    clock_.advance(cap);
    if (cap < latency) {
      for (size_t i = 0; i < requests.size(); ++i)
        out.emplace_back(make_error(ErrorKind::kTimeout, "no complete response in time"));
      return out;
    }
    for (const auto& r : requests) {
      const std::string action = testing::FakeTransport::key_of(r);
      calls.push_back(action);
      ec2api::HttpResponse resp;
      resp.status = 200;
      if (unavailable > 0 && action.rfind("Describe", 0) == 0) {
        --unavailable;
        resp.status = 503;
        resp.body = error_xml("Unavailable", "The server is overloaded and can't handle the request.");
      } else if (action == "DescribeRouteTables") {
        resp.body = route_tables_xml(state.routes.at("vip").tables);
      } else if (action == "DescribeAddresses") {
        std::vector<ec2api::Address> a;
        if (state.eips.count("web") && state.eips.at("web")) a.push_back(*state.eips.at("web"));
        resp.body = addresses_xml(a);
      } else if (action == "DescribeNetworkInterfaces") {
        std::vector<ec2api::NetworkInterface> v;
        for (const auto& [id, n] : state.enis) v.push_back(n);
        resp.body = enis_xml(v);
      } else if (action == "DescribeInstances") {
        std::vector<ec2api::Instance> v;
        for (const auto& [id, i] : state.instances) v.push_back(i);
        resp.body = instances_xml(v);
      } else if (action == "ReplaceRoute") {
        set_route(*testing::form_param(r, "RouteTableId"), *testing::form_param(r, "NetworkInterfaceId"));
        resp.body = return_xml("ReplaceRoute", "req-replace");
      } else if (action == "AssociateAddress") {
        state.eips["web"] = address(*testing::form_param(r, "NetworkInterfaceId"),
                                    testing::form_param(r, "PrivateIpAddress").value_or("10.0.2.11"));
        resp.body = associate_xml("req-assoc", "eipassoc-0000002");
      } else {
        FAIL_CHECK("unexpected call " << action);
        resp.status = 400;
      }
      out.emplace_back(std::move(resp));
    }
    if (after_batch) after_batch(*this);
    return out;
  }

  void set_route(const std::string& table_id, const std::string& eni) {
    for (auto& t : state.routes.at("vip").tables) {
      if (t.route_table_id != table_id) continue;
      for (auto& route : t.routes)
        if (route.destination_cidr_block == "10.1.0.10/32") route.network_interface_id = eni;
    }
  }
  size_t count(const std::string& action) const { return std::count(calls.begin(), calls.end(), action); }

  ObservedState state;
  std::chrono::milliseconds latency{0};
  int unavailable = 0;  // the next N Describe calls answer 503 Unavailable
  std::function<void(ModelTransport&)> after_batch;
  std::vector<std::string> calls;

 private:
  testing::FakeClock& clock_;
};

std::unique_ptr<ec2api::Ec2Client> make_client(std::shared_ptr<ModelTransport> t, testing::FakeClock& clock) {
  ec2api::ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = "https://ec2.test";
  o.jitter = [] { return 0.5; };
  return std::make_unique<ec2api::Ec2Client>(
      o, std::move(t), ec2api::make_static_credentials({"AKIDEXAMPLE", "secret", ""}), clock, nullptr);
}

TEST_CASE("a switchover does not report success when a table it found on the target is moved away meanwhile") {
  testing::FakeClock clock;
  Config config = example_config();
  config.eips.clear();
  ObservedState observed = on_node1();
  observed.routes["vip"].tables[0] = table(kTableA, {vip_route(kVipEni2)}, "subnet-0000000a");  // A on node2
  Plan plan = make_plan(config, observed, "node2", PlanOptions{});
  REQUIRE(plan.mutation_count() == 1);  // B is replaced, A kept

  auto transport = std::make_shared<ModelTransport>(observed, clock);
  // The other operator's `switchover --to node1` lands right after our ReplaceRoute.
  transport->after_batch = [](ModelTransport& t) {
    if (t.count("ReplaceRoute") == 1 && t.calls.back() == "ReplaceRoute") t.set_route(kTableA, kVipEni1);
  };
  auto client = make_client(transport, clock);
  ExecuteOptions options;
  options.timeout = std::chrono::milliseconds(3000);
  Report report = execute(*client, config, plan, clock, options);

  CHECK_FALSE(report.complete());
  CHECK(transport->count("ReplaceRoute") == 1);  // the kept table is reported, not fought over
  bool saw_a = false;
  for (const auto& r : report.results) {
    CAPTURE(r.change.route_table_id);
    if (r.change.route_table_id == kTableA) {
      saw_a = true;
      CHECK(r.outcome == Outcome::kFailed);
      REQUIRE(r.error.has_value());
      CHECK(r.error->message == "was on node2 but moved away during the switchover (another change at the same time?)");
      CHECK(r.after.node == "node1");
    } else {
      CHECK(r.outcome == Outcome::kChanged);
    }
  }
  CHECK(saw_a);
  // It waited for the table to come back until the deadline, and not beyond.
  CHECK(clock.now() - testing::FakeClock().now() <= std::chrono::milliseconds(3000 + 800));
}

TEST_CASE("a switchover whose kept tables stay put still succeeds") {
  testing::FakeClock clock;
  Config config = example_config();
  config.eips.clear();
  ObservedState observed = on_node1();
  observed.routes["vip"].tables[0] = table(kTableA, {vip_route(kVipEni2)}, "subnet-0000000a");
  Plan plan = make_plan(config, observed, "node2", PlanOptions{});
  auto transport = std::make_shared<ModelTransport>(observed, clock);
  auto client = make_client(transport, clock);
  ExecuteOptions options;
  options.timeout = std::chrono::milliseconds(3000);
  Report report = execute(*client, config, plan, clock, options);
  CHECK(report.complete());
  CHECK(transport->count("DescribeRouteTables") == 1);
}

// Runs `argv` through the real command table against `transport` and the fake clock.
struct AppRun {
  int code = 0;
  std::string out, err;
  std::chrono::milliseconds took{0};
};

AppRun run_app(std::shared_ptr<ModelTransport> transport, testing::FakeClock& clock,
               const std::vector<std::string>& argv) {
  ec2api::MapEnvironment env;
  std::istringstream in;
  std::ostringstream out, err;
  char tmpl[] = "/tmp/ec2rk-regress-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/ec2rk.toml") << kConfigText;
  env.set("EC2RK_CONFIG", dir + "/ec2rk.toml");
  App app;
  app.io.in = &in;
  app.io.out = &out;
  app.io.err = &err;
  app.deps.env = &env;
  app.deps.clock = &clock;
  app.deps.syslog = [](std::string_view) {};
  app.deps.make_session = [&](const ec2api::SessionOptions&, ec2api::TraceSink trace) {
    ec2api::Session s;
    s.region = "us-east-1";
    s.endpoint_url = "https://ec2.test";
    s.transport = transport;
    s.credentials = ec2api::make_static_credentials({"AKIDEXAMPLE", "secret", ""});
    s.client_options.region = s.region;
    s.client_options.endpoint_url = s.endpoint_url;
    s.client_options.jitter = [] { return 0.5; };
    s.trace = std::move(trace);
    return Result<ec2api::Session>(std::move(s));
  };
  const auto start = clock.now();
  AppRun r;
  r.code = run(app, argv);
  r.took = std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start);
  r.out = out.str();
  r.err = err.str();
  std::filesystem::remove_all(dir);
  return r;
}

TEST_CASE("--timeout bounds the whole switchover, reads included") {
  for (int latency_ms : {0, 1500, 2000, 4000, 6000}) {
    CAPTURE(latency_ms);
    testing::FakeClock clock;
    auto transport = std::make_shared<ModelTransport>(on_node1(), clock);
    transport->latency = std::chrono::milliseconds(latency_ms);
    AppRun r = run_app(transport, clock, {"switchover", "--to", "node2", "--yes", "--timeout", "5"});
    CAPTURE(r.out);
    CAPTURE(r.err);
    CAPTURE(r.took.count());
    // A moment past the deadline at most: the last request may be answered after it.
    CHECK(r.took <= std::chrono::milliseconds(5000 + 1000));
    if (latency_ms == 0) CHECK(r.code == 0);
  }
}

TEST_CASE("a switchover reads again when its first reads fail past the client's attempts, within --timeout") {
  testing::FakeClock clock;
  auto transport = std::make_shared<ModelTransport>(on_node1(), clock);
  transport->unavailable = 12;  // every Describe call of an observe round fails its 3 attempts
  AppRun r = run_app(transport, clock, {"switchover", "--to", "node2", "--yes", "--timeout", "20"});
  CAPTURE(r.out);
  CAPTURE(r.err);
  CHECK(r.code == 0);
  CHECK(r.err.find("reading the current state again") != std::string::npos);
  CHECK(transport->count("ReplaceRoute") == 2);
  CHECK(r.took <= std::chrono::milliseconds(20000));

  SUBCASE("but not past --timeout") {
    testing::FakeClock clock2;
    auto down = std::make_shared<ModelTransport>(on_node1(), clock2);
    down->unavailable = 1000000;
    AppRun d = run_app(down, clock2, {"switchover", "--to", "node2", "--yes", "--timeout", "4"});
    CAPTURE(d.err);
    CHECK(d.code == 1);
    CHECK(d.err.find("(Unavailable, request id req-err)") != std::string::npos);
    CHECK(d.took <= std::chrono::milliseconds(4000 + 1000));
    CHECK(down->count("ReplaceRoute") == 0);
  }
}

}  // namespace
}  // namespace ec2rk::cli::test
