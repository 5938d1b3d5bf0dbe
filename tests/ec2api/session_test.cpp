// Region/endpoint/attempts precedence and make_session wiring (IMDS region,
// --profile vs environment keys), with fake transports and a temporary HOME.
#include "ec2api/session.h"

#include <doctest/doctest.h>

#include "ec2api/imds.h"
#include "tests/ec2api/temp_home.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"

namespace ec2rk::ec2api {
namespace {

using testing::FakeClock;
using testing::FakeTransport;
using testing::TempHome;
using Vars = std::map<std::string, std::string>;

constexpr const char* kConfig =
    "[default]\n"
    "region = eu-west-1\n"
    "[profile vpce]\n"
    "region = ap-northeast-1\n"
    "endpoint_url = https://vpce-0abc.ec2.ap-northeast-1.vpce.amazonaws.com\n"
    "[profile svc]\n"
    "region = us-west-2\n"
    "services = local\n"
    "endpoint_url = https://profile.example.com\n"
    "[services local]\n"
    "ec2 =\n"
    "  endpoint_url = http://127.0.0.1:5000\n"
    "[profile fips]\n"
    "region = us-gov-west-1\n"
    "use_fips_endpoint = true\n"
    "[profile dual]\n"
    "region = us-east-2\n"
    "use_dualstack_endpoint = true\n"
    "[profile attempts]\n"
    "max_attempts = 7\n"
    "[profile ignore]\n"
    "region = us-east-1\n"
    "endpoint_url = https://profile.example.com\n"
    "ignore_configured_endpoint_urls = true\n"
    "[profile noregion]\n"
    "output = json\n";

Result<SessionSettings> settings(TempHome& home, SessionOptions o, Vars vars,
                                 std::function<Result<std::string>()> imds = {}) {
  vars["HOME"] = home.path();
  MapEnvironment env(vars);
  auto sc = load_shared_config(env, o.profile, {});
  if (!sc) return sc.error();
  return resolve_settings(o, env, sc.value(), imds);
}

TEST_CASE("region and endpoint precedence: flag > environment > profile > defaults") {
  TempHome home;
  home.write("config", kConfig);
  struct Case {
    const char* name;
    std::string region_flag, endpoint_flag, profile;
    Vars env;
    std::string region, region_source, endpoint, endpoint_source;
  };
  const std::vector<Case> cases = {
      {"default profile region, partition default endpoint", "", "", "", {},
       "eu-west-1", "~/.aws/config profile default", "https://ec2.eu-west-1.amazonaws.com", "partition default"},
      {"AWS_DEFAULT_REGION beats the profile", "", "", "", {{"AWS_DEFAULT_REGION", "sa-east-1"}},
       "sa-east-1", "AWS_DEFAULT_REGION", "https://ec2.sa-east-1.amazonaws.com", "partition default"},
      {"AWS_REGION beats AWS_DEFAULT_REGION", "", "", "",
       {{"AWS_REGION", "ca-central-1"}, {"AWS_DEFAULT_REGION", "sa-east-1"}},
       "ca-central-1", "AWS_REGION", "https://ec2.ca-central-1.amazonaws.com", "partition default"},
      {"--region beats everything", "cn-north-1", "", "", {{"AWS_REGION", "ca-central-1"}},
       "cn-north-1", "--region", "https://ec2.cn-north-1.amazonaws.com.cn", "partition default"},
      {"empty environment values count as unset", "", "", "", {{"AWS_REGION", ""}, {"AWS_ENDPOINT_URL", ""}},
       "eu-west-1", "~/.aws/config profile default", "https://ec2.eu-west-1.amazonaws.com", "partition default"},
      {"profile endpoint_url", "", "", "vpce", {},
       "ap-northeast-1", "~/.aws/config profile vpce",
       "https://vpce-0abc.ec2.ap-northeast-1.vpce.amazonaws.com", "~/.aws/config profile vpce endpoint_url"},
      {"services section beats the profile endpoint_url", "", "", "svc", {},
       "us-west-2", "~/.aws/config profile svc", "http://127.0.0.1:5000",
       "~/.aws/config services local ec2 endpoint_url"},
      {"AWS_ENDPOINT_URL beats the profile", "", "", "svc", {{"AWS_ENDPOINT_URL", "https://global.example.com"}},
       "us-west-2", "~/.aws/config profile svc", "https://global.example.com", "AWS_ENDPOINT_URL"},
      {"AWS_ENDPOINT_URL_EC2 beats AWS_ENDPOINT_URL", "", "", "svc",
       {{"AWS_ENDPOINT_URL", "https://global.example.com"}, {"AWS_ENDPOINT_URL_EC2", "https://ec2.example.com/"}},
       "us-west-2", "~/.aws/config profile svc", "https://ec2.example.com", "AWS_ENDPOINT_URL_EC2"},
      {"--endpoint-url beats everything", "", "http://localhost:4566", "svc",
       {{"AWS_ENDPOINT_URL_EC2", "https://ec2.example.com"}},
       "us-west-2", "~/.aws/config profile svc", "http://localhost:4566", "--endpoint-url"},
      {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops env and profile endpoints", "", "", "svc",
       {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, {"AWS_ENDPOINT_URL", "https://global.example.com"}},
       "us-west-2", "~/.aws/config profile svc", "https://ec2.us-west-2.amazonaws.com", "partition default"},
      {"...but not --endpoint-url", "", "https://flag.example.com", "svc",
       {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}},
       "us-west-2", "~/.aws/config profile svc", "https://flag.example.com", "--endpoint-url"},
      {"ignore_configured_endpoint_urls in the profile", "", "", "ignore", {},
       "us-east-1", "~/.aws/config profile ignore", "https://ec2.us-east-1.amazonaws.com", "partition default"},
      {"FIPS in GovCloud from the profile", "", "", "fips", {},
       "us-gov-west-1", "~/.aws/config profile fips", "https://ec2.us-gov-west-1.amazonaws.com", "partition default"},
      {"AWS_USE_FIPS_ENDPOINT", "us-east-1", "", "", {{"AWS_USE_FIPS_ENDPOINT", "true"}},
       "us-east-1", "--region", "https://ec2-fips.us-east-1.amazonaws.com", "partition default"},
      {"dual-stack from the profile", "", "", "dual", {},
       "us-east-2", "~/.aws/config profile dual", "https://ec2.us-east-2.api.aws", "partition default"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    SessionOptions o;
    o.region = c.region_flag;
    o.endpoint_url = c.endpoint_flag;
    o.profile = c.profile;
    auto s = settings(home, o, c.env);
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    CHECK(s->region == c.region);
    CHECK(s->region_source == c.region_source);
    CHECK(s->endpoint_url == c.endpoint);
    CHECK(s->endpoint_source == c.endpoint_source);
  }
}

TEST_CASE("IMDS is asked for the region only when nothing else gives one") {
  TempHome home;
  home.write("config", kConfig);
  int asked = 0;
  auto imds = [&]() -> Result<std::string> {
    ++asked;
    return std::string("ap-southeast-2\n");
  };
  auto s = settings(home, {.profile = "noregion"}, {}, imds);
  REQUIRE(s.ok());
  CHECK(s->region == "ap-southeast-2");
  CHECK(s->region_source == "instance metadata");
  CHECK(asked == 1);
  REQUIRE(settings(home, {}, {}, imds).ok());
  REQUIRE(settings(home, {.profile = "noregion"}, {{"AWS_REGION", "us-east-1"}}, imds).ok());
  CHECK(asked == 1);

  auto failing = [&]() -> Result<std::string> { return make_error(ErrorKind::kNetwork, "connect timed out"); };
  auto f = settings(home, {.profile = "noregion"}, {}, failing);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().kind == ErrorKind::kNetwork);
  CHECK(f.error().message.find("no region configured") != std::string::npos);

  auto none = settings(home, {.profile = "noregion"}, {}, {});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == ErrorKind::kConfig);
}

TEST_CASE("invalid settings are config errors that name where they came from") {
  TempHome home;
  home.write("config", kConfig);
  struct Case {
    const char* name;
    SessionOptions o;
    Vars env;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {"http:// to a non-loopback host", {}, {{"AWS_ENDPOINT_URL", "http://ec2.example.com"}}, "AWS_ENDPOINT_URL"},
      {"http:// to a private address", {.endpoint_url = "http://10.0.0.10"}, {}, "--endpoint-url"},
      {"not a URL", {.endpoint_url = "ec2.example.com"}, {}, "--endpoint-url"},
      {"region with a dot", {.region = "us-east-1.evil.com"}, {}, "invalid region"},
      {"AWS_MAX_ATTEMPTS zero", {}, {{"AWS_MAX_ATTEMPTS", "0"}}, "AWS_MAX_ATTEMPTS"},
      {"AWS_MAX_ATTEMPTS text", {}, {{"AWS_MAX_ATTEMPTS", "3x"}}, "AWS_MAX_ATTEMPTS"},
      {"FIPS with a custom endpoint", {.endpoint_url = "https://x.example.com"},
       {{"AWS_USE_FIPS_ENDPOINT", "true"}}, "FIPS"},
      {"FIPS flag not a boolean", {}, {{"AWS_USE_FIPS_ENDPOINT", "yes"}}, "AWS_USE_FIPS_ENDPOINT"},
      {"unreadable CA bundle", {}, {{"AWS_CA_BUNDLE", "/nonexistent/ca.pem"}}, "AWS_CA_BUNDLE"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto s = settings(home, c.o, c.env);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == ErrorKind::kConfig);
    CHECK(s.error().message.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("max attempts and the CA bundle come from the environment, then the profile") {
  TempHome home;
  home.write("config", kConfig);
  auto ca = home.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
  CHECK(settings(home, {.region = "us-east-1"}, {})->max_attempts == 3);
  CHECK(settings(home, {.region = "us-east-1", .profile = "attempts"}, {})->max_attempts == 7);
  CHECK(settings(home, {.region = "us-east-1", .profile = "attempts"}, {{"AWS_MAX_ATTEMPTS", "2"}})->max_attempts == 2);
  CHECK(settings(home, {}, {{"AWS_CA_BUNDLE", ca}})->ca_bundle == ca);
}

// make_session with fake transports: IMDS requests go to `imds`, EC2 ones to `ec2`.
struct SessionHarness {
  TempHome home;
  FakeClock clock;
  std::shared_ptr<FakeTransport> imds = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeTransport> ec2 = std::make_shared<FakeTransport>();
  SessionSeams seams() {
    SessionSeams s;
    s.clock = &clock;
    s.make_transport = [this](const HttpOptions& o) -> std::shared_ptr<HttpTransport> {
      if (o.connect_timeout == imds_http_options().connect_timeout) return imds;
      return ec2;
    };
    return s;
  }
  Result<Session> make(SessionOptions o, Vars vars) {
    vars["HOME"] = home.path();
    MapEnvironment env(vars);
    return make_session(o, env, {}, seams());
  }
};

TEST_CASE("make_session takes the region and credentials from IMDS when nothing else is configured") {
  SessionHarness h;
  h.imds->on("PUT /latest/api/token", 200, "TOKEN")
      .on("GET /latest/meta-data/placement/region", 200, "eu-north-1")
      .on("GET /latest/meta-data/iam/security-credentials/", 200, "role")
      .on("GET /latest/meta-data/iam/security-credentials/role", 200,
          R"({"Code":"Success","AccessKeyId":"ASIAX","SecretAccessKey":"S","Token":"T","Expiration":"2025-01-02T09:00:00Z"})");
  auto s = h.make({}, {});
  REQUIRE(s.ok());
  CHECK(s->region == "eu-north-1");
  CHECK(s->endpoint_url == "https://ec2.eu-north-1.amazonaws.com");
  auto c = s->credentials->get(false);
  REQUIRE(c.ok());
  CHECK(c->access_key_id == "ASIAX");
  CHECK(s->credentials->source() == "imds");
  CHECK(h.imds->requests_for("PUT /latest/api/token").size() == 1);  // one token for both
}

TEST_CASE("an explicit --profile ignores environment keys; AWS_PROFILE does not") {
  SessionHarness h;
  h.home.write("credentials", "[p]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n");
  Vars env = {{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"},
              {"AWS_REGION", "us-east-1"}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  auto flag = h.make({.profile = "p"}, env);
  REQUIRE(flag.ok());
  CHECK(flag->credentials->get(false)->access_key_id == "AKIDFILE");
  env["AWS_PROFILE"] = "p";
  auto var = h.make({}, env);
  REQUIRE(var.ok());
  CHECK(var->credentials->get(false)->access_key_id == "AKIDENV");
}

TEST_CASE("make_session reports a malformed config file and sends nothing") {
  SessionHarness h;
  h.home.write("config", "[default]\nregion us-east-1\n");
  auto s = h.make({}, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::kConfig);
  CHECK(s.error().message == "~/.aws/config:2: expected 'key = value'");
}

TEST_CASE("a session's client signs with the resolved region and sends to the resolved endpoint") {
  SessionHarness h;
  h.ec2->on("DescribeVpcs", 200, "<DescribeVpcsResponse><requestId>r1</requestId><vpcSet/></DescribeVpcsResponse>");
  auto s = h.make({.endpoint_url = "http://127.0.0.1:4999"},
                  {{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                   {"AWS_DEFAULT_REGION", "eu-west-3"}, {"AWS_MAX_ATTEMPTS", "4"}});
  REQUIRE(s.ok());
  CHECK(s->client_options.max_attempts == 4);
  auto client = s->make_client(h.clock);
  auto r = client->describe_vpcs({});
  REQUIRE(r.ok());
  const HttpRequest& req = h.ec2->requests().at(0);
  CHECK(req.url == "http://127.0.0.1:4999/");
  CHECK(testing::request_header(req, "Authorization").find("/eu-west-3/ec2/aws4_request") != std::string::npos);
}

TEST_CASE("make_imds honours AWS_EC2_METADATA_DISABLED without sending anything") {
  auto fake = std::make_shared<FakeTransport>();
  MapEnvironment env(Vars{{"AWS_EC2_METADATA_DISABLED", "true"}});
  auto imds = make_imds(env, fake, {});
  auto r = imds->get("meta-data/instance-id");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(fake->requests().empty());
}

}  // namespace
}  // namespace ec2rk::ec2api
