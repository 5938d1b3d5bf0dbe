// The credentials chain: environment, shared files, IMDSv2 (over a scripted transport).
#include "ec2api/credentials.h"

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

Result<sigv4::Credentials> resolve(std::vector<std::unique_ptr<CredentialSource>> sources) {
  return make_credentials_chain(std::move(sources), {})->get(false);
}

TEST_CASE("environment credentials need both the key id and the secret") {
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"}});
  auto src = make_env_source(env, {});
  auto r = src->load(false);
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  CHECK((*r)->access_key_id == "AKIDENV");
  CHECK((*r)->secret_access_key == "envsecret");
  CHECK((*r)->session_token.empty());

  for (auto vars : std::vector<std::map<std::string, std::string>>{
           {{"AWS_ACCESS_KEY_ID", "AKIDENV"}},
           {{"AWS_SECRET_ACCESS_KEY", "envsecret"}},
           {{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", ""}}}) {
    MapEnvironment partial(vars);
    auto p = make_env_source(partial, {})->load(false);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().kind == ErrorKind::kCredentials);
    CHECK(p.error().message.find("envsecret") == std::string::npos);
  }
  MapEnvironment none;
  auto n = make_env_source(none, {})->load(false);
  REQUIRE(n.ok());
  CHECK_FALSE(n->has_value());
}

TEST_CASE("AWS_SESSION_TOKEN wins over the legacy AWS_SECURITY_TOKEN, with a warning when they differ") {
  std::vector<std::string> warnings;
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"},
                      {"AWS_SESSION_TOKEN", "new-token"}, {"AWS_SECURITY_TOKEN", "old-token"}});
  auto r = make_env_source(env, [&](std::string_view w) { warnings.emplace_back(w); })->load(false);
  REQUIRE(r.ok());
  CHECK((*r)->session_token == "new-token");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("new-token") == std::string::npos);

  MapEnvironment legacy(Vars{{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"},
                         {"AWS_SECURITY_TOKEN", "old-token"}});
  CHECK((*make_env_source(legacy, {})->load(false).value()).session_token == "old-token");
}

std::shared_ptr<const SharedConfig> load(TempHome& home, std::string_view profile = "",
                                         std::map<std::string, std::string> extra = {}) {
  extra["HOME"] = home.path();
  MapEnvironment env(extra);
  auto r = load_shared_config(env, profile, {});
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return std::make_shared<const SharedConfig>(r.value());
}

TEST_CASE("profile keys come from the credentials file first, then the config file") {
  TempHome home;
  home.write("credentials",
             "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = credsecret\n"
             "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prodsecret\n"
             "aws_session_token = prodtoken\n");
  home.write("config",
             "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = configsecret\n"
             "[profile cfgonly]\naws_access_key_id = AKIDCFGONLY\naws_secret_access_key = cfgsecret\n"
             "aws_security_token = legacytoken\n"
             "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = default\n"
             "[profile half]\naws_access_key_id = AKIDHALF\n"
             "[profile nokeys]\nregion = eu-west-1\n");
  auto d = make_profile_source(load(home))->load(false);
  REQUIRE(d.ok());
  CHECK((*d)->access_key_id == "AKIDCREDS");

  auto p = make_profile_source(load(home, "prod"))->load(false);
  REQUIRE(p.ok());
  CHECK((*p)->access_key_id == "AKIDPROD");
  CHECK((*p)->session_token == "prodtoken");

  auto c = make_profile_source(load(home, "cfgonly"));
  auto cr = c->load(false);
  REQUIRE(cr.ok());
  CHECK((*cr)->access_key_id == "AKIDCFGONLY");
  CHECK((*cr)->session_token == "legacytoken");
  CHECK(c->name() == "config-file");

  auto role = make_profile_source(load(home, "role"))->load(false);
  REQUIRE_FALSE(role.ok());
  CHECK(role.error().kind == ErrorKind::kCredentials);
  CHECK(role.error().message.find("role_arn") != std::string::npos);

  auto half = make_profile_source(load(home, "half"))->load(false);
  REQUIRE_FALSE(half.ok());
  CHECK(half.error().message.find("[profile half]") != std::string::npos);

  auto none = make_profile_source(load(home, "nokeys"))->load(false);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("the profile comes from --profile, then AWS_PROFILE, and a named profile must exist") {
  TempHome home;
  home.write("config", "[default]\nregion = us-east-1\n[profile a]\nregion = eu-west-1\n[profile b]\nregion = ap-south-1\n");
  CHECK(load(home)->get("region") == "us-east-1");
  CHECK(load(home, "a")->get("region") == "eu-west-1");
  CHECK(load(home, "", {{"AWS_PROFILE", "b"}})->get("region") == "ap-south-1");
  CHECK(load(home, "a", {{"AWS_PROFILE", "b"}})->get("region") == "eu-west-1");
  CHECK(load(home, "a")->profile_explicit);
  CHECK_FALSE(load(home, "", {{"AWS_PROFILE", "b"}})->profile_explicit);

  MapEnvironment env(Vars{{"HOME", home.path()}, {"AWS_PROFILE", "missing"}});
  auto r = load_shared_config(env, "", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(r.error().message == "profile 'missing' is not defined in ~/.aws/config or ~/.aws/credentials");

  TempHome empty;
  MapEnvironment no_files(Vars{{"HOME", empty.path()}});
  auto d = load_shared_config(no_files, "", {});
  REQUIRE(d.ok());  // the implicit default profile may be absent
  CHECK(d->profile == "default");
}

TEST_CASE("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE replace the default paths") {
  TempHome home;
  auto cfg = home.write("other-config", "[profile x]\nregion = sa-east-1\n");
  auto creds = home.write("other-creds", "[x]\naws_access_key_id = AKIDX\naws_secret_access_key = xsecret\n");
  home.write("config", "[profile x]\nregion = us-west-2\n");
  auto sc = load(home, "x", {{"AWS_CONFIG_FILE", cfg}, {"AWS_SHARED_CREDENTIALS_FILE", creds}});
  CHECK(sc->get("region") == "sa-east-1");
  CHECK(sc->config_display == cfg);
  auto r = make_profile_source(sc)->load(false);
  REQUIRE(r.ok());
  CHECK((*r)->access_key_id == "AKIDX");
}

TEST_CASE("a malformed credentials file is a config error naming the file and line") {
  TempHome home;
  home.write("credentials", "[default]\naws_access_key_id = AKID\n\nthis is not ini\n");
  MapEnvironment env(Vars{{"HOME", home.path()}});
  auto r = load_shared_config(env, "", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(r.error().message == "~/.aws/credentials:4: expected 'key = value'");
}

// --- IMDS -------------------------------------------------------------------

constexpr const char* kRoleJson = R"({
  "Code" : "Success",
  "LastUpdated" : "2025-01-02T02:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIAIMDSKEY1",
  "SecretAccessKey" : "imdssecret1",
  "Token" : "imdstoken1",
  "Expiration" : "2025-01-02T09:04:05Z"
})";

struct ImdsHarness {
  FakeClock clock;  // 2025-01-02T03:04:05Z
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ImdsClient> imds;
  std::vector<std::string> trace;
  std::string ttl;
  explicit ImdsHarness(ImdsOptions o = {}) {
    o.endpoint = "http://169.254.169.254";
    ttl = std::to_string(o.token_ttl_seconds);
    imds = std::make_shared<ImdsClient>(o, transport, clock, [this](std::string_view l) { trace.emplace_back(l); });
  }
  void token(int status = 200, std::string body = "TOKEN-A") {
    transport->on("PUT /latest/api/token", status, std::move(body), {}, [ttl = ttl](const HttpRequest& r) {
      CHECK(testing::request_header(r, "X-aws-ec2-metadata-token-ttl-seconds") == ttl);
      CHECK(r.bypass_proxy);
    });
  }
  void get(const std::string& path, int status, std::string body, std::string expect_token = "TOKEN-A") {
    transport->on("GET /latest/" + path, status, std::move(body), {}, [expect_token](const HttpRequest& r) {
      CHECK(testing::request_header(r, "X-aws-ec2-metadata-token") == expect_token);
      CHECK(r.bypass_proxy);
    });
  }
};

TEST_CASE("IMDS credentials: token, role discovery, role JSON; cached until 10 minutes before expiry") {
  ImdsHarness h;
  CHECK(h.ttl == "21600");
  h.token();
  h.get("meta-data/iam/security-credentials/", 200, "ec2rk-role\n");
  h.get("meta-data/iam/security-credentials/ec2rk-role", 200, kRoleJson);
  auto src = make_imds_source(h.imds, h.clock, {});
  auto r = src->load(false);
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  CHECK((*r)->access_key_id == "ASIAIMDSKEY1");
  CHECK((*r)->secret_access_key == "imdssecret1");
  CHECK((*r)->session_token == "imdstoken1");

  // Within the validity window: no requests at all.
  h.clock.advance(std::chrono::hours(5));
  CHECK(src->load(false).ok());
  CHECK(h.transport->requests().size() == 3);

  // 9 minutes left: fetched again (the token is still cached).
  h.clock.advance(std::chrono::minutes(51));
  std::string json2 = kRoleJson;
  json2.replace(json2.find("ASIAIMDSKEY1"), 12, "ASIAIMDSKEY2");
  json2.replace(json2.find("2025-01-02T09:04:05Z"), 20, "2025-01-02T15:04:05Z");
  h.get("meta-data/iam/security-credentials/", 200, "ec2rk-role");
  h.get("meta-data/iam/security-credentials/ec2rk-role", 200, json2);
  auto again = src->load(false);
  REQUIRE(again.ok());
  CHECK((*again)->access_key_id == "ASIAIMDSKEY2");
  CHECK(h.imds->token_requests() == 1);
}

TEST_CASE("a forced refresh fetches again, and a failed refresh keeps still-valid credentials") {
  ImdsHarness h;
  h.token();
  h.get("meta-data/iam/security-credentials/", 200, "ec2rk-role");
  h.get("meta-data/iam/security-credentials/ec2rk-role", 200, kRoleJson);
  auto src = make_imds_source(h.imds, h.clock, {});
  REQUIRE(src->load(false).ok());
  h.transport->fail("GET /latest/meta-data/iam/security-credentials/", ErrorKind::kNetwork)
      .fail("GET /latest/meta-data/iam/security-credentials/", ErrorKind::kNetwork);
  auto r = src->load(true);
  REQUIRE(r.ok());
  CHECK((*r)->access_key_id == "ASIAIMDSKEY1");
}

TEST_CASE("a 401 on a GET renews the IMDS token once and retries") {
  ImdsHarness h;
  h.token(200, "TOKEN-A");
  h.get("meta-data/placement/region", 401, "");
  h.token(200, "TOKEN-B");
  h.get("meta-data/placement/region", 200, "eu-central-1", "TOKEN-B");
  auto r = h.imds->get("meta-data/placement/region");
  REQUIRE(r.ok());
  CHECK(r.value() == "eu-central-1");
  CHECK(h.imds->token_requests() == 2);
  for (const auto& line : h.trace) {
    CHECK(line.find("TOKEN-A") == std::string::npos);
    CHECK(line.find("TOKEN-B") == std::string::npos);
  }
}

TEST_CASE("the IMDS token is renewed before its TTL runs out") {
  ImdsOptions o;
  o.token_ttl_seconds = 120;
  ImdsHarness h(o);
  h.token(200, "TOKEN-A");
  h.get("meta-data/instance-id", 200, "i-1");
  h.token(200, "TOKEN-B");
  h.get("meta-data/instance-id", 200, "i-1", "TOKEN-B");
  REQUIRE(h.imds->get("meta-data/instance-id").ok());
  h.clock.advance(std::chrono::seconds(61));  // inside the 60 s safety margin
  REQUIRE(h.imds->get("meta-data/instance-id").ok());
}

TEST_CASE("IMDS credential failures: no role declines, bad JSON and non-Success codes are errors") {
  SUBCASE("no role: 404 declines so the chain can report it") {
    ImdsHarness h;
    h.token();
    h.get("meta-data/iam/security-credentials/", 404, "");
    auto src = make_imds_source(h.imds, h.clock, {});
    auto r = src->load(false);
    REQUIRE(r.ok());
    CHECK_FALSE(r->has_value());
    CHECK(src->why_not().find("no IAM role") != std::string::npos);
  }
  SUBCASE("unreachable IMDS declines") {
    ImdsHarness h;
    h.transport->fail("PUT /latest/api/token", ErrorKind::kNetwork, "connect timed out")
        .fail("PUT /latest/api/token", ErrorKind::kNetwork, "connect timed out");
    auto src = make_imds_source(h.imds, h.clock, {});
    auto r = src->load(false);
    REQUIRE(r.ok());
    CHECK_FALSE(r->has_value());
  }
  struct Case {
    const char* name;
    std::string json;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {"Code is not Success",
       R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role","LastUpdated":"x"})",
       "IMDS says AssumeRoleUnauthorizedAccess: EC2 cannot assume the role"},
      {"missing Token", R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2025-01-02T09:04:05Z"})",
       "missing Token"},
      {"missing Expiration", R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T"})",
       "missing Expiration"},
      {"bad Expiration", R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"soon"})",
       "Expiration is not an ISO 8601 time"},
      {"not JSON", "<html>", "not a JSON object"},
      {"JSON array", "[1,2]", "not a JSON object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    ImdsHarness h;
    h.token();
    h.get("meta-data/iam/security-credentials/", 200, "ec2rk-role");
    h.get("meta-data/iam/security-credentials/ec2rk-role", 200, c.json);
    auto r = make_imds_source(h.imds, h.clock, {})->load(false);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kCredentials);
    CHECK(r.error().message.find(c.expect) != std::string::npos);
    CHECK(r.error().message.find("\"S\"") == std::string::npos);
  }
  SUBCASE("a role name with a path in it is refused") {
    ImdsHarness h;
    h.token();
    h.get("meta-data/iam/security-credentials/", 200, "../../user-data");
    auto r = make_imds_source(h.imds, h.clock, {})->load(false);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kCredentials);
  }
}

TEST_CASE("AWS_EC2_METADATA_DISABLED turns IMDS off without a request") {
  MapEnvironment env(Vars{{"AWS_EC2_METADATA_DISABLED", "TRUE"}});
  auto o = imds_options(env, nullptr);
  REQUIRE(o.ok());
  CHECK(o->disabled);
  ImdsHarness h(o.value());
  auto r = h.imds->get("meta-data/instance-id");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kConfig);
  auto src = make_imds_source(h.imds, h.clock, {});
  auto c = src->load(false);
  REQUIRE(c.ok());
  CHECK_FALSE(c->has_value());
  CHECK(h.transport->requests().empty());
}

TEST_CASE("the IMDS endpoint comes from the environment, then the profile, then the mode") {
  MapEnvironment none;
  CHECK(imds_options(none, nullptr)->endpoint == "http://169.254.169.254");
  MapEnvironment over(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[::1]:1338/"}});
  CHECK(imds_options(over, nullptr)->endpoint == "http://[::1]:1338");
  MapEnvironment v6(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"}});
  CHECK(imds_options(v6, nullptr)->endpoint == "http://[fd00:ec2::254]");
  MapEnvironment bad_mode(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv7"}});
  CHECK_FALSE(imds_options(bad_mode, nullptr).ok());
  MapEnvironment bad_url(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"}});
  CHECK_FALSE(imds_options(bad_url, nullptr).ok());
  MapEnvironment tuned(Vars{{"AWS_METADATA_SERVICE_TIMEOUT", "1.5"}, {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"}});
  CHECK(imds_options(tuned, nullptr)->timeout == std::chrono::milliseconds(1500));
  CHECK(imds_options(tuned, nullptr)->attempts == 3);
  for (const char* bad : {"0", "-1", "x", "1s", "61"}) {
    CAPTURE(bad);
    MapEnvironment e(Vars{{"AWS_METADATA_SERVICE_TIMEOUT", bad}});
    CHECK_FALSE(imds_options(e, nullptr).ok());
  }
  MapEnvironment bad_attempts(Vars{{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"}});
  CHECK_FALSE(imds_options(bad_attempts, nullptr).ok());

  TempHome home;
  home.write("config", "[default]\nec2_metadata_service_endpoint = http://127.0.0.9:8080\n");
  MapEnvironment env(Vars{{"HOME", home.path()}});
  auto sc = load_shared_config(env, "", {});
  REQUIRE(sc.ok());
  CHECK(imds_options(env, &sc.value())->endpoint == "http://127.0.0.9:8080");
}

TEST_CASE("the chain takes the first configured source and explains when there is none") {
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"}});
  TempHome home;
  home.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n");
  auto sc = load(home);
  {
    std::vector<std::unique_ptr<CredentialSource>> s;
    s.push_back(make_env_source(env, {}));
    s.push_back(make_profile_source(sc));
    auto chain = make_credentials_chain(std::move(s), {});
    auto r = chain->get(false);
    REQUIRE(r.ok());
    CHECK(r->access_key_id == "AKIDENV");
    CHECK(chain->source() == "environment");
  }
  {
    MapEnvironment empty;
    std::vector<std::unique_ptr<CredentialSource>> s;
    s.push_back(make_env_source(empty, {}));
    s.push_back(make_profile_source(sc));
    auto chain = make_credentials_chain(std::move(s), {});
    REQUIRE(chain->get(false).ok());
    CHECK(chain->get(false)->access_key_id == "AKIDFILE");
    CHECK(chain->source() == "shared-credentials-file");
  }
  {
    MapEnvironment partial(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}});
    std::vector<std::unique_ptr<CredentialSource>> s;
    s.push_back(make_env_source(partial, {}));
    s.push_back(make_profile_source(sc));
    auto r = resolve(std::move(s));
    REQUIRE_FALSE(r.ok());  // a broken source stops the chain: no silent fall-through
    CHECK(r.error().message.find("AWS_SECRET_ACCESS_KEY") != std::string::npos);
  }
  {
    MapEnvironment empty;
    TempHome bare;
    ImdsHarness h(imds_options(MapEnvironment(Vars{{"AWS_EC2_METADATA_DISABLED", "true"}}), nullptr).value());
    std::vector<std::unique_ptr<CredentialSource>> s;
    s.push_back(make_env_source(empty, {}));
    s.push_back(make_profile_source(load(bare)));
    s.push_back(make_imds_source(h.imds, h.clock, {}));
    auto r = resolve(std::move(s));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kCredentials);
    CHECK(r.error().message.find("no AWS credentials found") != std::string::npos);
    CHECK(r.error().message.find("AWS_EC2_METADATA_DISABLED") != std::string::npos);
  }
}

}  // namespace
}  // namespace ec2rk::ec2api
