#include "sim/simulator.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "sim_test_util.h"

using namespace ec2rk::sim;
using namespace ec2rk::sim::testing;

namespace {

struct Fixture {
  ManualClock clock{1'700'000'000'000};
  FaultConfig faults;
  std::unique_ptr<Simulator> sim;

  explicit Fixture(FaultConfig f = {}, Scenario sc = example()) : faults(std::move(f)) {
    sim = std::make_unique<Simulator>(std::move(sc), faults, clock);
  }
  int64_t now_s() const { return clock.now_ms() / 1000 + faults.clock_skew_s; }
  HttpResponse call(const std::string& body, const SignOptions& o = {}) {
    return sim->handle_ec2(signed_post(body, now_s(), o));
  }
};

const std::string kReplaceToNode2 =
    "Action=ReplaceRoute&Version=2016-11-15&RouteTableId=rtb-0ec20000000000a02"
    "&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId=eni-0ec20000000000b12";
const std::string kDescribeVip =
    "Action=DescribeRouteTables&Version=2016-11-15&RouteTableId.1=rtb-0ec20000000000a02";

std::string vip_eni(const std::string& xml) {
  auto enis = texts(xml, "routeTableSet/item/routeSet/item/networkInterfaceId");
  // Routes to ENIs only carry networkInterfaceId; the VIP route is the last one in the table.
  return enis.empty() ? "" : enis.back();
}

}  // namespace

TEST_CASE("a signed POST runs the action and answers 200 with EC2's headers") {
  Fixture f;
  HttpResponse r = f.call("Action=DescribeVpcs&Version=2016-11-15");
  CHECK(r.status == 200);
  CHECK(r.content_type == "text/xml;charset=UTF-8");
  CHECK(texts(r.body, "vpcSet/item/vpcId") == std::vector<std::string>{kVpc});
  CHECK(texts(r.body, "requestId") == std::vector<std::string>{r.request_id});
  CHECK(r.request_id.size() == 36);
  bool has_request_id_header = false;
  for (const auto& [k, v] : r.headers)
    has_request_id_header |= (k == "x-amzn-RequestId" && v == r.request_id);
  CHECK(has_request_id_header);
  CHECK_FALSE(r.drop);
  CHECK(r.delay_ms == 0);
}

TEST_CASE("parameters may come in a signed GET query string") {
  Fixture f;
  HttpResponse r = f.sim->handle_ec2(signed_get(
      "Action=DescribeAddresses&Version=2016-11-15&AllocationId.1=eipalloc-0ec20000000000002",
      f.now_s()));
  CHECK(r.status == 200);
  CHECK(texts(r.body, "addressesSet/item/publicIp") == std::vector<std::string>{"203.0.113.20"});
}

TEST_CASE(
    "errors use EC2's envelope and status: unknown action, missing action, unknown parameter") {
  Fixture f;
  HttpResponse r = f.call("Action=DescribeRegions&Version=2016-11-15");
  CHECK(r.status == 400);
  CHECK(error_code(r.body) == "InvalidAction");
  CHECK(texts(r.body, "RequestID") == std::vector<std::string>{r.request_id});
  CHECK(f.call("Version=2016-11-15").body.find("MissingAction") != std::string::npos);
  r = f.call("Action=DescribeVpcs&Version=2016-11-15&Bogus=1");
  CHECK(error_code(r.body) == "UnknownParameter");
}

TEST_CASE("authentication failures come before anything else") {
  Fixture f;
  SignOptions wrong;
  wrong.secret = "nope";
  HttpResponse r = f.call("Action=DescribeRegions", wrong);
  CHECK(r.status == 403);
  CHECK(error_code(r.body) == "SignatureDoesNotMatch");
  SignOptions unknown;
  unknown.key = "AKIDNOBODY";
  r = f.call(kReplaceToNode2, unknown);
  CHECK(r.status == 401);
  CHECK(error_code(r.body) == "AuthFailure");
  CHECK(f.sim->events_json()["events"].empty());  // nothing changed
}

TEST_CASE("DryRun answers 412 when permitted and 403 with an encoded message when denied") {
  Scenario sc = example();
  sc.denied_actions = {"AssociateAddress"};
  Fixture f({}, sc);
  HttpResponse r = f.call(kReplaceToNode2 + "&DryRun=true");
  CHECK(r.status == 412);
  CHECK(error_code(r.body) == "DryRunOperation");
  r = f.call(
      "Action=AssociateAddress&Version=2016-11-15&AllocationId=eipalloc-0ec20000000000001"
      "&NetworkInterfaceId=eni-0ec20000000001b12&DryRun=true");
  CHECK(r.status == 403);
  CHECK(error_code(r.body) == "UnauthorizedOperation");
  auto msg = texts(r.body, "Errors/Error/Message").at(0);
  CHECK(msg.find("ec2:AssociateAddress") != std::string::npos);
  CHECK(msg.find("elastic-ip/eipalloc-0ec20000000000001") != std::string::npos);
  CHECK(msg.find("Encoded authorization failure message: ") != std::string::npos);
  // The real call is refused too, and the dry run changed nothing.
  r = f.call(kReplaceToNode2 + "&DryRun=false");
  CHECK(r.status == 200);
  CHECK(f.call("Action=AssociateAddress&Version=2016-11-15&AllocationId=eipalloc-0ec20000000000001"
               "&NetworkInterfaceId=eni-0ec20000000001b12")
            .status == 403);
}

TEST_CASE(
    "--fail ACTION:ID fails that call with UnauthorizedOperation and leaves the others alone") {
  FaultConfig faults;
  faults.fail = {*parse_fail_rule("ReplaceRoute:rtb-0ec20000000000a02")};
  Fixture f(faults);
  HttpResponse r = f.call(kReplaceToNode2);
  CHECK(r.status == 403);
  CHECK(error_code(r.body) == "UnauthorizedOperation");
  CHECK(r.reason == "--fail ReplaceRoute:rtb-0ec20000000000a02");
  r = f.call(
      "Action=ReplaceRoute&Version=2016-11-15&RouteTableId=rtb-0ec20000000000b02"
      "&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId=eni-0ec20000000000b12");
  CHECK(r.status == 200);
}

TEST_CASE(
    "error-rate 1 answers every call with 500 InternalError or 503 Unavailable and changes "
    "nothing") {
  FaultConfig faults;
  faults.error_rate = 1.0;
  Fixture f(faults);
  std::set<std::string> codes;
  for (int i = 0; i < 40; ++i) {
    HttpResponse r = f.call(kReplaceToNode2);
    codes.insert(error_code(r.body));
    CHECK((r.status == 500 || r.status == 503));
  }
  CHECK(codes == std::set<std::string>{"InternalError", "Unavailable"});
  CHECK(f.sim->events_json()["events"].empty());
}

TEST_CASE("drop-rate 1 tells the server to drop every connection; latency is passed on") {
  FaultConfig faults;
  faults.drop_rate = 1.0;
  faults.latency_ms = 250;
  Fixture f(faults);
  HttpResponse r = f.call(kReplaceToNode2);
  CHECK(r.drop);
  CHECK(r.delay_ms == 250);
  CHECK(f.sim->events_json()["events"].empty());
}

TEST_CASE("throttling answers 503 RequestLimitExceeded once the action's bucket is empty") {
  FaultConfig faults;
  faults.throttle = *parse_throttle("2:1");
  Fixture f(faults);
  CHECK(f.call(kDescribeVip).status == 200);
  CHECK(f.call(kDescribeVip).status == 200);
  HttpResponse r = f.call(kDescribeVip);
  CHECK(r.status == 503);
  CHECK(error_code(r.body) == "RequestLimitExceeded");
  CHECK(f.call("Action=DescribeVpcs&Version=2016-11-15").status == 200);  // its own bucket
  f.clock.advance_ms(1000);
  CHECK(f.call(kDescribeVip).status == 200);
}

TEST_CASE("the default throttle lets EC2's mutating burst of 50 through, then refuses") {
  Fixture f;
  for (int i = 0; i < 50; ++i) REQUIRE(f.call(kReplaceToNode2).status == 200);
  CHECK(error_code(f.call(kReplaceToNode2).body) == "RequestLimitExceeded");
}

TEST_CASE("stale reads: within stale-ms of a write, reads see the state before it") {
  FaultConfig faults;
  faults.stale_ms = 1000;
  Fixture f(faults);
  REQUIRE(f.call(kReplaceToNode2).status == 200);
  CHECK(vip_eni(f.call(kDescribeVip).body) == kNode1Eth0);
  f.clock.advance_ms(999);
  CHECK(vip_eni(f.call(kDescribeVip).body) == kNode1Eth0);
  // A second write inside the window keeps the view at the state before the first one.
  REQUIRE(f.call("Action=ReplaceRoute&Version=2016-11-15&RouteTableId=rtb-0ec20000000000b02"
                 "&DestinationCidrBlock=10.1.0.10%2F32&NetworkInterfaceId=eni-0ec20000000000b12")
              .status == 200);
  f.clock.advance_ms(1);
  CHECK(vip_eni(f.call(kDescribeVip).body) == kNode2Eth0);  // first write now 1000 ms old
  // /_sim/state always shows the truth.
  CHECK(f.sim->state_json()["route_tables"][4]["routes"][2]["network_interface_id"] == kNode2Eth0);
  f.clock.advance_ms(1000);
  HttpResponse all = f.call(
      "Action=DescribeRouteTables&Version=2016-11-15&Filter.1.Name=route.destination-cidr-block"
      "&Filter.1.Value.1=10.1.0.10%2F32");
  auto enis = texts(all.body, "routeTableSet/item/routeSet/item/networkInterfaceId");
  CHECK(std::count(enis.begin(), enis.end(), kNode2Eth0) == 2);
}

TEST_CASE("without stale-ms a read sees a write at once") {
  Fixture f;
  REQUIRE(f.call(kReplaceToNode2).status == 200);
  CHECK(vip_eni(f.call(kDescribeVip).body) == kNode2Eth0);
}

TEST_CASE(
    "clock skew: the simulator's clock is shifted and a client signing with real time is refused") {
  FaultConfig faults;
  faults.clock_skew_s = 600;
  Fixture f(faults);
  int64_t real_s = f.clock.now_ms() / 1000;
  HttpResponse r = f.sim->handle_ec2(signed_post("Action=DescribeVpcs&Version=2016-11-15", real_s));
  CHECK(r.status == 401);
  CHECK(error_code(r.body) == "AuthFailure");
  CHECK(f.sim->now_s() == real_s + 600);
  // A client that corrects from the Date header gets through.
  CHECK(f.sim->handle_ec2(signed_post("Action=DescribeVpcs&Version=2016-11-15", f.sim->now_s()))
            .status == 200);
}

TEST_CASE(
    "the event log records every change with time and before/after, and reset restores the "
    "scenario") {
  Fixture f;
  REQUIRE(f.call(kReplaceToNode2).status == 200);
  f.clock.advance_ms(5);
  REQUIRE(
      f.call(
           "Action=DisassociateAddress&Version=2016-11-15&AssociationId=eipassoc-0ec20000000000001")
          .status == 200);
  f.clock.advance_ms(10);
  REQUIRE(
      f.call("Action=AssociateAddress&Version=2016-11-15&AllocationId=eipalloc-0ec20000000000001"
             "&NetworkInterfaceId=eni-0ec20000000001b12")
          .status == 200);
  Json events = f.sim->events_json()["events"];
  REQUIRE(events.size() == 3);
  CHECK(events[0]["type"] == "route_replaced");
  CHECK(events[0]["seq"] == 1);
  CHECK(events[1]["type"] == "address_disassociated");
  CHECK(events[2]["type"] == "address_associated");
  CHECK(events[2]["before"].is_null());
  // The time the address had no association, as a benchmark would compute it.
  CHECK(events[2]["time_ms"].get<int64_t>() - events[1]["time_ms"].get<int64_t>() == 10);
  CHECK(f.sim->events_json(2)["events"].size() == 1);

  f.sim->reset();
  Json state = f.sim->state_json();
  CHECK(state["addresses"][0]["association"]["id"] == kEipAssoc);
  CHECK(state["route_tables"][2]["routes"][2]["network_interface_id"] == kNode1Eth0);
  Json after = f.sim->events_json()["events"];
  REQUIRE(after.size() == 1);
  CHECK(after[0]["type"] == "reset");
  CHECK(after[0]["seq"] == 4);
}

TEST_CASE("state_json names the scenario and never includes secrets") {
  Fixture f;
  Json j = f.sim->state_json();
  CHECK(j["name"] == "example");
  CHECK(j["ec2rk"]["nodes"]["node1"] == kNode1);
  CHECK(j.dump().find(kSecret) == std::string::npos);
}

TEST_CASE("IMDS role credentials are reused until close to expiry, then replaced") {
  Fixture f;
  TemporaryCredentials a = f.sim->instance_credentials(kNode1, "ec2rk-node", 3600);
  TemporaryCredentials b = f.sim->instance_credentials(kNode1, "ec2rk-node", 3600);
  CHECK(a.access_key_id == b.access_key_id);
  f.clock.advance_ms(3301'000);  // 299 s left: inside the 300 s refresh margin
  TemporaryCredentials c = f.sim->instance_credentials(kNode1, "ec2rk-node", 3600);
  CHECK(c.access_key_id != a.access_key_id);
  CHECK(f.sim->instance_credentials(kNode2, "ec2rk-node", 3600).access_key_id != c.access_key_id);
}

TEST_CASE("http_date and iso8601 format the simulator's clock") {
  CHECK(http_date(784887151) == "Tue, 15 Nov 1994 08:12:31 GMT");
  CHECK(iso8601(1700000000) == "2023-11-14T22:13:20Z");
}
