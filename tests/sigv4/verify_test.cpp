// The verifier's side: parse_authorization and expected_signature, as the simulator uses them.
#include <doctest/doctest.h>

#include <algorithm>

#include "sigv4/sigv4.h"

namespace ec2rk::sigv4 {
namespace {

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kAuthz =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
    "SignedHeaders=host;x-amz-date, "
    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

SigningParams ec2_params() {
  SigningParams p;
  p.region = "eu-west-1";
  p.service = "ec2";
  p.unix_time = 1440938160;
  return p;
}

// An EC2 POST as ec2rk sends it, signed with a session token.
Signed signed_ec2_request(const std::string& token = "IQoJb3JpZ2luX2VjEXAMPLE//token+==") {
  Request req{"POST",
              "/",
              {{"Host", "ec2.eu-west-1.amazonaws.com"},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
              "Action=ReplaceRoute&Version=2016-11-15&RouteTableId=rtb-0123"
              "&DestinationCidrBlock=10.1.2.3%2F32&NetworkInterfaceId=eni-0abc"};
  return sign(req, Credentials{"AKIDEXAMPLE", kSecret, token}, ec2_params());
}

std::string authorization_of(const Request& r) {
  for (const Header& h : r.headers) {
    if (h.name == "Authorization") return h.value;
  }
  return {};
}

Header* find(Request& r, const std::string& name) {
  for (Header& h : r.headers) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("parse_authorization reads the suite's Authorization value") {
  auto a = parse_authorization(kAuthz);
  REQUIRE(a.has_value());
  CHECK(a->access_key_id == "AKIDEXAMPLE");
  CHECK(a->date == "20150830");
  CHECK(a->region == "us-east-1");
  CHECK(a->service == "service");
  CHECK(a->signed_headers == std::vector<std::string>{"host", "x-amz-date"});
  CHECK(a->signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST_CASE("parse_authorization accepts any component order and spacing around commas") {
  auto a = parse_authorization(
      "  AWS4-HMAC-SHA256   "
      "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31,"
      "SignedHeaders=host;x-amz-date "
      ",\tCredential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request ");
  REQUIRE(a.has_value());
  CHECK(a->access_key_id == "AKIDEXAMPLE");
  CHECK(a->signed_headers.size() == 2);
}

TEST_CASE("parse_authorization rejects malformed values") {
  const std::string sig =
      "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  const std::string cred = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
  const std::string sh = "SignedHeaders=host;x-amz-date";
  const std::string alg = "AWS4-HMAC-SHA256 ";
  for (const std::string& bad : std::vector<std::string>{
           "",
           "AWS4-HMAC-SHA256",
           "AWS4-HMAC-SHA256 ",
           "AWS4-HMAC-SHA1 " + cred + ", " + sh + ", " + sig,
           "AWS4-HMAC-SHA256" + cred + ", " + sh + ", " + sig,  // no space after the algorithm
           alg + sh + ", " + sig,                               // no Credential
           alg + cred + ", " + sig,                             // no SignedHeaders
           alg + cred + ", " + sh,                              // no Signature
           alg + cred + ", " + cred + ", " + sh + ", " + sig,   // repeated
           alg + cred + ", " + sh + ", " + sig + ", Foo=bar",   // unknown component
           alg + cred + ", " + sh + ", " + sig + ",",           // empty component
           alg + cred + " " + sh + ", " + sig,                  // missing comma
           alg + "Credential=AKIDEXAMPLE/20150830/us-east-1/aws4_request, " + sh + ", " + sig,
           alg + "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, " + sh + ", " +
               sig,
           alg + "Credential=AKIDEXAMPLE/2015083/us-east-1/service/aws4_request, " + sh + ", " +
               sig,
           alg + "Credential=AKIDEXAMPLE/2015083x/us-east-1/service/aws4_request, " + sh + ", " +
               sig,
           alg + "Credential=/20150830/us-east-1/service/aws4_request, " + sh + ", " + sig,
           alg + "Credential=AKID/20150830//service/aws4_request, " + sh + ", " + sig,
           alg + cred + ", SignedHeaders=, " + sig,
           alg + cred + ", SignedHeaders=host;;x-amz-date, " + sig,
           alg + cred + ", SignedHeaders=Host;x-amz-date, " + sig,
           alg + cred + ", SignedHeaders=host x-amz-date, " + sig,
           alg + cred + ", " + sh +
               ", Signature=5FA00FA31553B73EBF1942676E86291E8372FF2A2260956D9B8AAE1D763FBF31",
           alg + cred + ", " + sh + ", Signature=5fa00fa3",
           alg + cred + ", " + sh +
               ", Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf3g",
           alg + cred + ", " + sh + ", Signature",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(parse_authorization(bad).has_value());
  }
}

TEST_CASE("expected_signature recomputes what sign produced, from the received request") {
  Signed s = signed_ec2_request();
  auto auth = parse_authorization(authorization_of(s.request));
  REQUIRE(auth.has_value());
  CHECK(expected_signature(s.request, *auth, kSecret, "IQoJb3JpZ2luX2VjEXAMPLE//token+==") ==
        s.signature);
  CHECK(expected_signature(s.request, *auth, kSecret, "") == s.signature);

  SUBCASE("headers reordered, renamed in case, and unsigned ones added in transit still verify") {
    Request r = s.request;
    std::reverse(r.headers.begin(), r.headers.end());
    for (Header& h : r.headers) {
      if (h.name == "Host") h.name = "host";
    }
    r.headers.push_back({"User-Agent", "curl/7.88.1"});
    r.headers.push_back({"Content-Length", std::to_string(r.body.size())});
    r.headers.push_back({"Expect", ""});
    CHECK(expected_signature(r, *auth, kSecret, "") == s.signature);
  }
  SUBCASE("a wrong secret gives a different signature") {
    std::string other =
        expected_signature(s.request, *auth, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ", "");
    CHECK(other.size() == 64);
    CHECK(other != s.signature);
  }
  SUBCASE("a tampered body gives a different signature") {
    Request r = s.request;
    r.body.replace(r.body.find("eni-0abc"), 8, "eni-0abd");
    CHECK(expected_signature(r, *auth, kSecret, "") != s.signature);
  }
  SUBCASE("a tampered signed header or target gives a different signature") {
    Request r = s.request;
    find(r, "Content-Type")->value = "text/plain";
    CHECK(expected_signature(r, *auth, kSecret, "") != s.signature);
    Request t = s.request;
    t.target = "/?Action=Other";
    CHECK(expected_signature(t, *auth, kSecret, "") != s.signature);
  }
  SUBCASE("a listed header missing from the request gives no signature") {
    Request r = s.request;
    std::erase_if(r.headers, [](const Header& h) { return h.name == "Content-Type"; });
    CHECK(expected_signature(r, *auth, kSecret, "") == "");
  }
  SUBCASE("a missing or malformed X-Amz-Date gives no signature") {
    Request r = s.request;
    find(r, "X-Amz-Date")->value = "2015-08-30T12:36:00Z";
    CHECK(expected_signature(r, *auth, kSecret, "") == "");
    std::erase_if(r.headers, [](const Header& h) { return h.name == "X-Amz-Date"; });
    CHECK(expected_signature(r, *auth, kSecret, "") == "");
  }
  SUBCASE("a scope date other than X-Amz-Date's gives no signature") {
    ParsedAuthorization a = *auth;
    a.date = "20150831";
    CHECK(expected_signature(s.request, a, kSecret, "") == "");
  }
  SUBCASE("a scope region or service other than the signer's gives a different signature") {
    ParsedAuthorization a = *auth;
    a.region = "us-east-1";
    CHECK(expected_signature(s.request, a, kSecret, "") != s.signature);
  }
  SUBCASE("Host and X-Amz-Date must be signed") {
    ParsedAuthorization a = *auth;
    std::erase(a.signed_headers, "host");
    CHECK(expected_signature(s.request, a, kSecret, "") == "");
    ParsedAuthorization b = *auth;
    std::erase(b.signed_headers, "x-amz-date");
    CHECK(expected_signature(s.request, b, kSecret, "") == "");
  }
  SUBCASE("a session token other than the expected one gives no signature") {
    CHECK(expected_signature(s.request, *auth, kSecret, "another-token") == "");
    Request r = s.request;
    std::erase_if(r.headers, [](const Header& h) { return h.name == "X-Amz-Security-Token"; });
    CHECK(expected_signature(r, *auth, kSecret, "IQoJb3JpZ2luX2VjEXAMPLE//token+==") == "");
  }
  SUBCASE("an x-amz-content-sha256 that disagrees with the body gives no signature") {
    SigningParams p = ec2_params();
    p.sign_body = true;
    Signed b = sign(Request{"POST", "/", {{"Host", "h"}}, "Action=X"}, {"AKID", kSecret, ""}, p);
    auto ba = parse_authorization(b.authorization);
    REQUIRE(ba.has_value());
    CHECK(expected_signature(b.request, *ba, kSecret, "") == b.signature);
    Request r = b.request;
    r.body = "Action=Y";
    CHECK(expected_signature(r, *ba, kSecret, "") == "");
  }
}

TEST_CASE("expected_signature verifies a request signed without a token when none is expected") {
  Signed s = signed_ec2_request("");
  auto auth = parse_authorization(s.authorization);
  REQUIRE(auth.has_value());
  CHECK(auth->signed_headers == std::vector<std::string>{"content-type", "host", "x-amz-date"});
  CHECK(expected_signature(s.request, *auth, kSecret, "") == s.signature);
  // A server holding a temporary credential refuses a request that carries no token.
  CHECK(expected_signature(s.request, *auth, kSecret, "TOKEN") == "");
}

}  // namespace ec2rk::sigv4
