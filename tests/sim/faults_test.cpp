#include "sim/faults.h"

#include <doctest/doctest.h>

#include "sim_test_util.h"

using namespace ec2rk::sim;
using ec2rk::sim::testing::form;

TEST_CASE("a token bucket starts full, empties, and refills at its rate up to its burst") {
  ManualClock clock;
  TokenBucket b({3, 2}, clock.now_ms());
  CHECK(b.try_take(clock.now_ms()));
  CHECK(b.try_take(clock.now_ms()));
  CHECK(b.try_take(clock.now_ms()));
  CHECK_FALSE(b.try_take(clock.now_ms()));
  clock.advance_ms(499);
  CHECK_FALSE(b.try_take(clock.now_ms()));  // 0.998 tokens
  clock.advance_ms(1);
  CHECK(b.try_take(clock.now_ms()));
  clock.advance_ms(60'000);
  CHECK(b.tokens(clock.now_ms()) == doctest::Approx(3));
}

TEST_CASE("a bucket with rate 0 never refills") {
  ManualClock clock;
  TokenBucket b({1, 0}, clock.now_ms());
  CHECK(b.try_take(clock.now_ms()));
  clock.advance_ms(3'600'000);
  CHECK_FALSE(b.try_take(clock.now_ms()));
}

TEST_CASE("parse_throttle accepts default, off and BURST:RATE and rejects the rest") {
  CHECK(parse_throttle("default")->mode == ThrottleMode::kDefault);
  CHECK(parse_throttle("off")->mode == ThrottleMode::kOff);
  auto u = parse_throttle("10:2.5");
  REQUIRE(u);
  CHECK(u->mode == ThrottleMode::kUniform);
  CHECK(u->uniform.burst == 10);
  CHECK(u->uniform.rate_per_s == 2.5);
  for (const char* bad :
       {"", "on", "10", "10:", ":5", "0:1", "a:b", "-1:1", "1:-1", "1:1:1", "1e3:1"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_throttle(bad).has_value());
  }
}

TEST_CASE("EC2's buckets: mutating 50/5, non-mutating 100/20, unfiltered DescribeInstances 50/10") {
  std::string key;
  BucketSpec b = ec2_bucket("ReplaceRoute", true, form(""), &key);
  CHECK(b.burst == 50);
  CHECK(b.rate_per_s == 5);
  CHECK(key == "ReplaceRoute");
  b = ec2_bucket("DescribeRouteTables", false, form(""), &key);
  CHECK(b.burst == 100);
  CHECK(b.rate_per_s == 20);
  b = ec2_bucket("ModifyNetworkInterfaceAttribute", true, form(""), &key);
  CHECK(b.burst == 100);
  CHECK(b.rate_per_s == 5);
  b = ec2_bucket("DescribeInstances", false, form(""), &key);
  CHECK(b.burst == 50);
  CHECK(key == "DescribeInstances#unfiltered");
  b = ec2_bucket("DescribeInstances", false, form("Filter.1.Name=vpc-id&Filter.1.Value.1=v"), &key);
  CHECK(b.burst == 100);
  CHECK(key == "DescribeInstances");
}

TEST_CASE(
    "Throttle keeps one bucket per action: exhausting ReplaceRoute leaves DescribeRouteTables "
    "alone") {
  ManualClock clock;
  Throttle t(ThrottleConfig{}, clock);
  for (int i = 0; i < 50; ++i) REQUIRE(t.allow("ReplaceRoute", true, form("")));
  CHECK_FALSE(t.allow("ReplaceRoute", true, form("")));
  CHECK(t.allow("DescribeRouteTables", false, form("")));
  CHECK(t.allow("AssociateAddress", true, form("")));
  clock.advance_ms(200);  // one token at 5/s
  CHECK(t.allow("ReplaceRoute", true, form("")));
  CHECK_FALSE(t.allow("ReplaceRoute", true, form("")));
  t.reset();
  CHECK(t.allow("ReplaceRoute", true, form("")));
}

TEST_CASE("a uniform throttle applies BURST:RATE to every action and off never throttles") {
  ManualClock clock;
  Throttle uniform(*parse_throttle("1:1"), clock);
  CHECK(uniform.allow("DescribeVpcs", false, form("")));
  CHECK_FALSE(uniform.allow("DescribeVpcs", false, form("")));
  CHECK(uniform.allow("ReplaceRoute", true, form("")));
  clock.advance_ms(1000);
  CHECK(uniform.allow("DescribeVpcs", false, form("")));
  Throttle off(*parse_throttle("off"), clock);
  for (int i = 0; i < 1000; ++i) REQUIRE(off.allow("ReplaceRoute", true, form("")));
}

TEST_CASE("--fail rules parse ACTION[:RESOURCE_ID] and match any parameter equal to the id") {
  auto any = parse_fail_rule("ReplaceRoute");
  REQUIRE(any);
  CHECK(any->resource_id.empty());
  auto one = parse_fail_rule("ReplaceRoute:rtb-0ec20000000000a02");
  REQUIRE(one);
  CHECK(one->action == "ReplaceRoute");
  CHECK(one->resource_id == "rtb-0ec20000000000a02");
  for (const char* bad : {"", ":rtb-1", "replaceRoute", "ReplaceRoute:", "Replace-Route"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_fail_rule(bad).has_value());
  }
  std::vector<FailRule> rules{*one};
  CHECK(match_fail_rule(rules, "ReplaceRoute", form("RouteTableId=rtb-0ec20000000000a02")) !=
        nullptr);
  CHECK(match_fail_rule(rules, "ReplaceRoute", form("RouteTableId=rtb-0ec20000000000b02")) ==
        nullptr);
  CHECK(match_fail_rule(rules, "CreateRoute", form("RouteTableId=rtb-0ec20000000000a02")) ==
        nullptr);
  rules = {*any};
  CHECK(match_fail_rule(rules, "ReplaceRoute", form("")) != nullptr);
}

TEST_CASE("Dice never rolls true at 0 and always at 1, and a seed repeats its sequence") {
  Dice d(7);
  for (int i = 0; i < 100; ++i) {
    REQUIRE_FALSE(d.roll(0));
    REQUIRE(d.roll(1));
  }
  Dice a(42), b(42);
  int hits = 0;
  for (int i = 0; i < 1000; ++i) {
    bool x = a.roll(0.5);
    REQUIRE(x == b.roll(0.5));
    hits += x;
  }
  CHECK(hits > 350);
  CHECK(hits < 650);
}
