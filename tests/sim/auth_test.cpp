#include "sim/auth.h"

#include <doctest/doctest.h>

#include "sim_test_util.h"

using namespace ec2rk::sim;
using namespace ec2rk::sim::testing;

namespace {
constexpr int64_t kNow = 1'700'000'000;
const std::string kBody = "Action=DescribeVpcs&Version=2016-11-15";

// The scenario's long-term key, as the Simulator registers it.
void add_example_key(CredentialStore& s) {
  s.add_long_term(kKey, kSecret, "arn:aws:iam::123456789012:user/ec2rk-sim");
}

void remove_header(ec2rk::sigv4::Request& req, const std::string& name) {
  std::erase_if(req.headers, [&](const auto& h) { return h.name == name; });
}
}  // namespace

TEST_CASE("a request signed with the scenario's key is accepted, POST and GET alike") {
  CredentialStore s;
  add_example_key(s);
  AuthResult r = verify_request(signed_post(kBody, kNow), s, "us-east-1", kNow);
  CHECK_FALSE(r.error);
  CHECK(r.principal_arn == "arn:aws:iam::123456789012:user/ec2rk-sim");
  CHECK_FALSE(verify_request(signed_get("Action=DescribeVpcs&Version=2016-11-15", kNow), s,
                             "us-east-1", kNow)
                  .error);
}

TEST_CASE("a wrong secret or a tampered body is SignatureDoesNotMatch (403)") {
  CredentialStore s;
  add_example_key(s);
  SignOptions wrong;
  wrong.secret = "not-the-secret";
  AuthResult r = verify_request(signed_post(kBody, kNow, wrong), s, "us-east-1", kNow);
  CHECK(r.error.code == "SignatureDoesNotMatch");
  CHECK(r.error.status == 403);
  auto req = signed_post(kBody, kNow);
  req.body += "&Extra=1";
  CHECK(verify_request(req, s, "us-east-1", kNow).error.code == "SignatureDoesNotMatch");
  req = signed_post(kBody, kNow);
  req.target = "/?x=1";
  CHECK(verify_request(req, s, "us-east-1", kNow).error.code == "SignatureDoesNotMatch");
}

TEST_CASE("credential problems are AuthFailure (401) with EC2's message") {
  CredentialStore s;
  add_example_key(s);
  struct Case {
    const char* name;
    ec2rk::sigv4::Request req;
    const char* reason_part;
  };
  SignOptions unknown;
  unknown.key = "AKIDUNKNOWN";
  SignOptions region;
  region.region = "eu-west-1";
  SignOptions service;
  service.service = "s3";
  auto no_auth = signed_post(kBody, kNow);
  remove_header(no_auth, "Authorization");
  auto garbled = signed_post(kBody, kNow);
  for (auto& h : garbled.headers) {
    if (h.name == "Authorization") h.value = "AWS4-HMAC-SHA256 garbage";
  }
  auto no_date = signed_post(kBody, kNow);
  remove_header(no_date, "X-Amz-Date");
  std::vector<Case> cases = {
      {"no Authorization", no_auth, "no Authorization"},
      {"garbled", garbled, "malformed"},
      {"unknown key", signed_post(kBody, kNow, unknown), "unknown access key AKIDUNKNOWN"},
      {"other region", signed_post(kBody, kNow, region), "region"},
      {"other service", signed_post(kBody, kNow, service), "service"},
      {"no X-Amz-Date", no_date, "X-Amz-Date"},
      {"6 minutes slow", signed_post(kBody, kNow - 360), "away from the simulator's clock"},
      {"6 minutes fast", signed_post(kBody, kNow + 360), "away from the simulator's clock"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    AuthResult r = verify_request(c.req, s, "us-east-1", kNow);
    CHECK(r.error.code == "AuthFailure");
    CHECK(r.error.status == 401);
    CHECK(r.error.message == kAuthFailureMessage);
    CHECK_MESSAGE(r.reason.find(c.reason_part) != std::string::npos, r.reason);
    CHECK(r.reason.find(kSecret) == std::string::npos);
  }
}

TEST_CASE("up to five minutes of skew is tolerated") {
  CredentialStore s;
  add_example_key(s);
  CHECK_FALSE(verify_request(signed_post(kBody, kNow - 299), s, "us-east-1", kNow).error);
  CHECK_FALSE(verify_request(signed_post(kBody, kNow + 299), s, "us-east-1", kNow).error);
}

TEST_CASE("temporary credentials need their own session token and expire") {
  CredentialStore s;
  add_example_key(s);
  TemporaryCredentials c =
      s.issue_temporary("arn:aws:sts::123456789012:assumed-role/r/i-1", kNow, 60);
  CHECK(c.access_key_id.rfind("ASIA", 0) == 0);
  CHECK(c.access_key_id.size() == 20);
  CHECK(c.secret_access_key.size() == 40);
  CHECK(c.expires_at_s == kNow + 60);
  SignOptions temp;
  temp.key = c.access_key_id;
  temp.secret = c.secret_access_key;
  temp.token = c.session_token;
  AuthResult ok = verify_request(signed_post(kBody, kNow, temp), s, "us-east-1", kNow);
  CHECK_FALSE(ok.error);
  CHECK(ok.principal_arn == "arn:aws:sts::123456789012:assumed-role/r/i-1");

  SignOptions no_token = temp;
  no_token.token.clear();
  CHECK(verify_request(signed_post(kBody, kNow, no_token), s, "us-east-1", kNow).error.code ==
        "AuthFailure");
  SignOptions other_token = temp;
  other_token.token = "IQoJother";
  AuthResult r = verify_request(signed_post(kBody, kNow, other_token), s, "us-east-1", kNow);
  CHECK(r.error.code == "AuthFailure");
  CHECK(r.reason.find(c.session_token) == std::string::npos);
  r = verify_request(signed_post(kBody, kNow + 60, temp), s, "us-east-1", kNow + 60);
  CHECK(r.error.code == "AuthFailure");
  CHECK(r.reason.find("expired") != std::string::npos);
  SignOptions long_term_with_token;
  long_term_with_token.token = c.session_token;
  CHECK(verify_request(signed_post(kBody, kNow, long_term_with_token), s, "us-east-1", kNow)
            .error.code == "AuthFailure");
}

TEST_CASE("each issued temporary key is new") {
  CredentialStore s;
  auto a = s.issue_temporary("p", kNow, 60);
  auto b = s.issue_temporary("p", kNow, 60);
  CHECK(a.access_key_id != b.access_key_id);
  CHECK(a.secret_access_key != b.secret_access_key);
  CHECK(a.session_token != b.session_token);
  CHECK(s.find(a.access_key_id).has_value());
  CHECK_FALSE(s.find("ASIANOPE").has_value());
}
