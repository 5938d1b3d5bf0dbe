#include "sim/imds.h"

#include <doctest/doctest.h>

#include <map>

#include "sim_test_util.h"

using namespace ec2rk::sim;
using namespace ec2rk::sim::testing;

namespace {

struct Fixture {
  ManualClock clock{1'700'000'000'000};
  Simulator sim{example(), FaultConfig{}, clock};
  Imds imds;
  explicit Fixture(ImdsOptions o = {}) : imds(sim, kNode1, o) {}

  ImdsResponse request(const std::string& method, const std::string& path,
                       std::map<std::string, std::string> headers = {}) {
    return imds.handle(method, path, [&headers](std::string_view name) -> const std::string* {
      for (auto& [k, v] : headers) {
        if (k.size() == name.size() &&
            std::equal(k.begin(), k.end(), name.begin(),
                       [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
          return &v;
        }
      }
      return nullptr;
    });
  }
  std::string token(const std::string& ttl = "21600") {
    ImdsResponse r =
        request("PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", ttl}});
    REQUIRE(r.status == 200);
    return r.body;
  }
  ImdsResponse get(const std::string& path, const std::string& tok) {
    return request("GET", path, {{"X-aws-ec2-metadata-token", tok}});
  }
};

}  // namespace

TEST_CASE("IMDSv2 serves the instance's facts after a token PUT") {
  Fixture f;
  std::string t = f.token();
  CHECK(t.size() >= 40);
  struct Case {
    const char* path;
    const char* body;
  };
  for (const Case& c : {
           Case{"/latest/meta-data/instance-id", "i-0ec20000000000a11"},
           Case{"/latest/meta-data/placement/region", "us-east-1"},
           Case{"/latest/meta-data/placement/availability-zone", "us-east-1a"},
           Case{"/latest/meta-data/mac", "02:ec:20:0a:11:00"},
           Case{"/latest/meta-data/local-ipv4", "10.0.2.11"},
           Case{"/latest/meta-data/network/interfaces/macs/",
                "02:ec:20:0a:11:00/\n02:ec:20:0a:11:01/"},
           Case{"/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:00/interface-id",
                "eni-0ec20000000000a11"},
           Case{"/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:01/interface-id",
                "eni-0ec20000000001a11"},
           Case{"/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:01/device-number", "1"},
           Case{"/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:01/vpc-id",
                "vpc-0ec20000000000001"},
           Case{"/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:01/subnet-id",
                "subnet-0ec20000000000a01"},
           Case{"/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:01/local-ipv4s",
                "10.0.1.11"},
           Case{"/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:01/public-ipv4s",
                "203.0.113.10"},
           Case{"/latest/meta-data/iam/security-credentials/", "ec2rk-node"},
           Case{"/latest/meta-data/placement/", "availability-zone\navailability-zone-id\nregion"},
       }) {
    CAPTURE(c.path);
    ImdsResponse r = f.get(c.path, t);
    CHECK(r.status == 200);
    CHECK(r.body == c.body);
  }
  Json doc = Json::parse(f.get("/latest/dynamic/instance-identity/document", t).body);
  CHECK(doc["instanceId"] == kNode1);
  CHECK(doc["region"] == "us-east-1");
  CHECK(doc["accountId"] == "123456789012");
  CHECK(f.get("/latest/meta-data/nope", t).status == 404);
}

TEST_CASE("the role credentials are the shape SDKs require and authenticate EC2 calls") {
  Fixture f;
  std::string t = f.token();
  ImdsResponse r = f.get("/latest/meta-data/iam/security-credentials/ec2rk-node", t);
  REQUIRE(r.status == 200);
  Json c = Json::parse(r.body);
  CHECK(c["Code"] == "Success");
  CHECK(c["Type"] == "AWS-HMAC");
  CHECK(c["AccessKeyId"].get<std::string>().rfind("ASIA", 0) == 0);
  CHECK(c["Expiration"] == iso8601(f.sim.now_s() + 3600));
  SignOptions o;
  o.key = c["AccessKeyId"];
  o.secret = c["SecretAccessKey"];
  o.token = c["Token"];
  CHECK(f.sim.handle_ec2(signed_post("Action=DescribeVpcs&Version=2016-11-15", f.sim.now_s(), o))
            .status == 200);
  // --imds-credential-ttl-s: after the lifetime the same keys are refused.
  f.clock.advance_ms(3600'000);
  HttpResponse late =
      f.sim.handle_ec2(signed_post("Action=DescribeVpcs&Version=2016-11-15", f.sim.now_s(), o));
  CHECK(late.status == 401);
}

TEST_CASE("the credential lifetime is configurable") {
  Fixture f(ImdsOptions{5, 0});
  Json c =
      Json::parse(f.get("/latest/meta-data/iam/security-credentials/ec2rk-node", f.token()).body);
  CHECK(c["Expiration"] == iso8601(f.sim.now_s() + 5));
}

TEST_CASE("IMDS refuses what IMDSv2 refuses") {
  Fixture f;
  CHECK(f.request("PUT", "/latest/api/token").status == 400);
  for (const char* ttl : {"0", "21601", "abc", "", "-1"}) {
    CAPTURE(ttl);
    CHECK(f.request("PUT", "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", ttl}})
              .status == 400);
  }
  CHECK(f.request("PUT", "/latest/api/token",
                  {{"X-aws-ec2-metadata-token-ttl-seconds", "60"}, {"X-Forwarded-For", "10.0.0.1"}})
            .status == 403);
  CHECK(f.request("PUT", "/2021-03-23/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", "60"}})
            .status == 403);
  CHECK(f.request("GET", "/latest/meta-data/instance-id").status == 401);
  CHECK(f.get("/latest/meta-data/instance-id", "not-a-token").status == 401);
  CHECK(f.request("POST", "/latest/meta-data/instance-id").status == 405);
}

TEST_CASE("tokens expire after their TTL, capped by --imds-token-ttl-cap-s") {
  Fixture f;
  std::string t = f.token("2");
  CHECK(f.get("/latest/meta-data/instance-id", t).status == 200);
  f.clock.advance_ms(2000);
  CHECK(f.get("/latest/meta-data/instance-id", t).status == 401);

  Fixture capped(ImdsOptions{3600, 1});
  std::string c = capped.token("21600");
  capped.clock.advance_ms(999);
  CHECK(capped.get("/latest/meta-data/instance-id", c).status == 200);
  capped.clock.advance_ms(1);
  CHECK(capped.get("/latest/meta-data/instance-id", c).status == 401);
}

TEST_CASE("IMDS answers from the live state: a moved Elastic IP disappears from public-ipv4s") {
  Fixture f;
  std::string t = f.token();
  HttpResponse r = f.sim.handle_ec2(
      signed_post("Action=AssociateAddress&Version=2016-11-15&AllocationId=eipalloc-"
                  "0ec20000000000001&NetworkInterfaceId=eni-0ec20000000001b12",
                  f.sim.now_s()));
  REQUIRE(r.status == 200);
  CHECK(
      f.get("/latest/meta-data/network/interfaces/macs/02:ec:20:0a:11:01/public-ipv4s", t).status ==
      404);
}
