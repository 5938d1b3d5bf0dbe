// Unit tests of the signer's stages, one rule at a time (the suite checks them in combination).
#include <doctest/doctest.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <new>
#include <sstream>

#include "sigv4/sigv4.h"

namespace ec2rk::sigv4 {
namespace {

constexpr int64_t kSuiteTime = 1440938160;  // 2015-08-30T12:36:00Z
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SigningParams params(bool normalize = true) {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "ec2";
  p.unix_time = kSuiteTime;
  p.normalize_path = normalize;
  return p;
}

std::string hex(const unsigned char* d, size_t n) {
  std::string out;
  char buf[3];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", d[i]);
    out += buf;
  }
  return out;
}

}  // namespace

TEST_CASE("uri_encode leaves only unreserved characters bare and uses upper-case hex") {
  CHECK(uri_encode("") == "");
  CHECK(uri_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(uri_encode("a b") == "a%20b");  // never '+'
  CHECK(uri_encode("a+b=c&d") == "a%2Bb%3Dc%26d");
  CHECK(uri_encode("$%*") == "%24%25%2A");
  CHECK(uri_encode("10.1.2.3/32") == "10.1.2.3%2F32");
  CHECK(uri_encode("\xE1\x88\xB4") == "%E1%88%B4");  // UTF-8 bytes, one escape each
  CHECK(uri_encode(std::string_view("\0\xff", 2)) == "%00%FF");
}

TEST_CASE("uri_encode leaves '/' bare only when asked to (path segments)") {
  CHECK(uri_encode("/a b/c", false) == "/a%20b/c");
  CHECK(uri_encode("/a b/c", true) == "%2Fa%20b%2Fc");
}

TEST_CASE("canonical_query sorts by encoded key then value in byte order") {
  CHECK(canonical_query("/") == "");
  CHECK(canonical_query("/?") == "");
  CHECK(canonical_query("/?b=2&a=1") == "a=1&b=2");
  CHECK(canonical_query("/?k=b&k=a") == "k=a&k=b");
  // Upper case sorts before lower case.
  CHECK(canonical_query("/?Param1=value2&Param1=Value1") == "Param1=Value1&Param1=value2");
  // Sorting is on the encoded form: "%C3%A9" ('%' = 0x25) sorts before "~" (0x7E).
  CHECK(canonical_query("/?~=1&\xC3\xA9=2") == "%C3%A9=2&~=1");
}

TEST_CASE("canonical_query encodes keys and values and treats raw and pre-encoded input alike") {
  CHECK(canonical_query("/?a=b c") == "a=b%20c");
  CHECK(canonical_query("/?a=b%20c") == "a=b%20c");
  CHECK(canonical_query("/?\xE1\x88\xB4=bar") == "%E1%88%B4=bar");
  CHECK(canonical_query("/?%e1%88%b4=bar") ==
        "%E1%88%B4=bar");                          // lower-case escapes re-emitted upper
  CHECK(canonical_query("/?a=x+y") == "a=x%2By");  // '+' is a plus, not a space
  CHECK(canonical_query("/?a=b=c") == "a=b%3Dc");  // split at the first '='
  CHECK(canonical_query("/?a=%G1&b=%4") == "a=%25G1&b=%254");  // broken escapes stay literal
  CHECK(canonical_query("/?cidr=10.0.0.1%2F32") == "cidr=10.0.0.1%2F32");
}

TEST_CASE("canonical_query writes a key without a value as key= and drops empty items") {
  CHECK(canonical_query("/?flag&x=1") == "flag=&x=1");
  CHECK(canonical_query("/?a=") == "a=");
  CHECK(canonical_query("/?&&a=1&") == "a=1");
}

TEST_CASE("canonical_uri normalizes dot segments and repeated slashes for non-S3 services") {
  CHECK(canonical_uri("", params()) == "/");
  CHECK(canonical_uri("/", params()) == "/");
  CHECK(canonical_uri("//", params()) == "/");
  CHECK(canonical_uri("/./", params()) == "/");
  CHECK(canonical_uri("/..", params()) == "/");
  CHECK(canonical_uri("/a/./b/../c", params()) == "/a/c");
  CHECK(canonical_uri("//a//b//", params()) == "/a/b/");
  CHECK(canonical_uri("/a/b/..", params()) == "/a");  // botocore: trailing '/' only if written
  CHECK(canonical_uri("/p?x=1&y=/..", params()) == "/p");
}

TEST_CASE("canonical_uri keeps the path as written when normalization is off (S3)") {
  CHECK(canonical_uri("//a/./b/../", params(false)) == "//a/./b/../");
  CHECK(canonical_uri("/a b/", params(false)) == "/a%20b/");
}

TEST_CASE("canonical_uri encodes each segment, escaping an escaped path again") {
  CHECK(canonical_uri("/example space/", params()) == "/example%20space/");
  CHECK(canonical_uri("/example/$delete", params()) == "/example/%24delete");
  CHECK(canonical_uri("/\xE1\x88\xB4", params()) == "/%E1%88%B4");
  CHECK(canonical_uri("/a%20b", params()) == "/a%2520b");
  CHECK(canonical_uri("/-._~AZaz09", params()) == "/-._~AZaz09");
}

TEST_CASE("canonical_headers lower-cases, sorts, trims and folds whitespace") {
  CanonicalHeaders ch = canonical_headers({
      {"X-Amz-Date", "20150830T123600Z"},
      {"Host", "  ec2.us-east-1.amazonaws.com\t"},
      {"My-Header2", " \"a   b \t c\" "},
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
      {"My-Header1", "value1\n  value2\r\n     value3"},
  });
  CHECK(ch.block ==
        "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
        "host:ec2.us-east-1.amazonaws.com\n"
        "my-header1:value1 value2 value3\n"
        "my-header2:\"a b c\"\n"
        "x-amz-date:20150830T123600Z\n");
  CHECK(ch.signed_headers == "content-type;host;my-header1;my-header2;x-amz-date");
}

TEST_CASE("canonical_headers joins repeated headers with ',' in wire order, across name case") {
  CanonicalHeaders ch = canonical_headers({
      {"My-Header1", "value4"},
      {"Host", "h"},
      {"my-header1", " value1 "},
      {"MY-HEADER1", "value3"},
      {"My-Header1", ""},
  });
  CHECK(ch.block == "host:h\nmy-header1:value4,value1,value3,\n");
  CHECK(ch.signed_headers == "host;my-header1");
  CHECK(canonical_headers({}).block == "");
}

TEST_CASE("canonical_request uses a stated x-amz-content-sha256 as the payload hash") {
  Request r{"POST", "/", {{"Host", "h"}}, "Action=X"};
  std::string plain = canonical_request(r, params());
  CHECK(plain.substr(plain.rfind('\n') + 1) == hex_sha256("Action=X"));
  r.headers.push_back({"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"});
  std::string stated = canonical_request(r, params());
  CHECK(stated.substr(stated.rfind('\n') + 1) == "UNSIGNED-PAYLOAD");
}

TEST_CASE("hex_sha256 is lower-case hex of the exact bytes") {
  CHECK(hex_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_sha256("Param1=value1") ==
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
}

TEST_CASE("amz_date, scope_date and credential_scope format UTC time") {
  CHECK(amz_date(kSuiteTime) == "20150830T123600Z");
  CHECK(amz_date(0) == "19700101T000000Z");
  CHECK(amz_date(-1) == "19691231T235959Z");
  CHECK(amz_date(1456790399) == "20160229T235959Z");
  CHECK(amz_date(951868800) == "20000301T000000Z");
  CHECK(amz_date(4107456000) == "21000228T000000Z");
  CHECK(scope_date(kSuiteTime) == "20150830");
  CHECK(credential_scope(params()) == "20150830/us-east-1/ec2/aws4_request");
}

TEST_CASE("parse_amz_date inverts amz_date") {
  for (int64_t t : {int64_t{0}, int64_t{-1}, kSuiteTime, int64_t{1456790399}, int64_t{951868800},
                    int64_t{4107456000}, int64_t{253402300799}}) {
    CAPTURE(t);
    auto back = parse_amz_date(amz_date(t));
    REQUIRE(back.has_value());
    CHECK(*back == t);
  }
  for (int64_t t = kSuiteTime; t < kSuiteTime + 400LL * 86400; t += 86400 + 3599) {
    CAPTURE(t);
    CHECK(parse_amz_date(amz_date(t)) == t);
  }
}

TEST_CASE("parse_amz_date rejects anything but a valid yyyymmddThhmmssZ") {
  for (const char* bad :
       {"", "20150830T123600", "20150830T123600ZZ", "2015-08-30T12:36:00Z", "20150830t123600Z",
        "20150830T123600z", "20151330T123600Z", "20150000T123600Z", "20150832T123600Z",
        "20150230T123600Z", "20150229T123600Z", "21000229T000000Z", "20150830T243600Z",
        "20150830T126000Z", "20150830T123660Z", "2015083OT123600Z", "+0150830T123600Z",
        " 20150830T12360Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_amz_date(bad).has_value());
  }
  CHECK(parse_amz_date("20160229T000000Z").has_value());
  CHECK(parse_amz_date("20000229T000000Z").has_value());
}

TEST_CASE("derive_signing_key reproduces the documented key chain and final keys") {
  std::ifstream in(std::string(EC2RK_SHARED_TESTDATA) +
                   "/sigv4/aws-docs-examples/signing-key-derivation.txt");
  REQUIRE(in);
  std::map<std::string, std::string> values;
  std::vector<std::pair<std::string, std::string>> finals;  // scope -> key hex
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (auto arrow = line.find(" -> "); arrow != std::string::npos) {
      std::string scope = line.substr(0, line.find(' '));
      finals.emplace_back(scope, line.substr(arrow + 4));
    } else if (auto eq = line.find(" = "); eq != std::string::npos) {
      std::string key = line.substr(0, line.find(' '));
      values[key] = line.substr(eq + 3);
    }
  }
  REQUIRE(values.size() == 9);
  REQUIRE(finals.size() >= 4);

  const std::string& secret = values["secret_access_key"];
  // The intermediate steps, recomputed with OpenSSL directly, pin down the chain's order.
  std::string k_secret = "AWS4" + secret;
  CHECK(hex(reinterpret_cast<const unsigned char*>(k_secret.data()), k_secret.size()) ==
        values["kSecret"]);
  unsigned char k[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), k_secret.data(), static_cast<int>(k_secret.size()),
       reinterpret_cast<const unsigned char*>(values["date"].data()), values["date"].size(), k,
       &len);
  CHECK(hex(k, len) == values["kDate"]);
  for (const char* step : {"region", "service"}) {
    unsigned char next[32];
    HMAC(EVP_sha256(), k, 32, reinterpret_cast<const unsigned char*>(values[step].data()),
         values[step].size(), next, &len);
    std::memcpy(k, next, 32);
  }
  CHECK(hex(k, 32) == values["kService"]);

  SigningKey key = derive_signing_key(secret, values["date"], values["region"], values["service"]);
  CHECK(key.hex() == values["kSigning"]);
  for (const auto& [scope, want] : finals) {
    CAPTURE(scope);
    std::vector<std::string> parts;
    std::stringstream ss(scope);
    for (std::string p; std::getline(ss, p, '/');) parts.push_back(p);
    REQUIRE(parts.size() == 4);
    CHECK(derive_signing_key(secret, parts[0], parts[1], parts[2]).hex() == want);
  }
}

TEST_CASE("signature is the hex HMAC of the string to sign under the signing key") {
  SigningKey key = derive_signing_key(kSecret, "20150830", "us-east-1", "service");
  const std::string sts =
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
      "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63";
  CHECK(signature(key, sts) == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST_CASE("a SigningKey's bytes are zero after its destructor runs") {
  alignas(SigningKey) unsigned char storage[sizeof(SigningKey)];
  auto* key = new (storage) SigningKey(derive_signing_key(kSecret, "20150830", "us-east-1", "ec2"));
  const unsigned char* bytes = key->bytes().data();
  REQUIRE(std::any_of(bytes, bytes + 32, [](unsigned char b) { return b != 0; }));
  key->~SigningKey();
  CHECK(std::all_of(storage, storage + sizeof storage, [](unsigned char b) { return b == 0; }));
}

TEST_CASE("secure_wipe zeroes a string's whole buffer and empties it") {
  std::string s(100, 'k');
  s.resize(10);  // earlier, longer contents still sit past size()
  const size_t cap = s.capacity();
  const char* data = s.data();
  secure_wipe(s);
  CHECK(s.empty());
  REQUIRE(s.data() == data);  // same buffer: nothing reallocated or freed
  CHECK(std::all_of(data, data + cap, [](char c) { return c == 0; }));

  std::string empty;
  secure_wipe(empty);
  CHECK(empty.empty());
}

TEST_CASE("sign sets X-Amz-Date, the token and Authorization, and re-signing replaces them") {
  Credentials creds{"AKIDEXAMPLE", kSecret, "TOKEN/with+chars=="};
  Request req{"POST",
              "/",
              {{"Host", "ec2.us-east-1.amazonaws.com"},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
              "Action=DescribeRegions&Version=2016-11-15"};
  Signed first = sign(req, creds, params());
  CHECK(first.canonical_request.find("\nx-amz-security-token:TOKEN/with+chars==\n") !=
        std::string::npos);
  CHECK(first.authorization ==
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=" +
            first.signature);
  CHECK(first.request.headers.size() == 5);
  CHECK(first.request.headers.back().name == "Authorization");

  // A retry signs the already-signed request an hour later: one date, one token, one signature.
  SigningParams later = params();
  later.unix_time += 3600;
  Signed again = sign(first.request, creds, later);
  int dates = 0, auths = 0, tokens = 0;
  for (const Header& h : again.request.headers) {
    dates += h.name == "X-Amz-Date";
    auths += h.name == "Authorization";
    tokens += h.name == "X-Amz-Security-Token";
    if (h.name == "X-Amz-Date") CHECK(h.value == "20150830T133600Z");
  }
  CHECK(dates == 1);
  CHECK(auths == 1);
  CHECK(tokens == 1);
  CHECK(again.canonical_request == sign(req, creds, later).canonical_request);
  CHECK(again.signature == sign(req, creds, later).signature);
}

TEST_CASE("sign with omit_session_token signs without the token and appends it afterwards") {
  Credentials creds{"AKIDEXAMPLE", kSecret, "TOKEN"};
  SigningParams p = params();
  p.omit_session_token = true;
  Request req{"GET", "/", {{"Host", "h"}, {"X-Amz-Security-Token", "stale"}}, ""};
  Signed s = sign(req, creds, p);
  CHECK(s.canonical_request.find("x-amz-security-token") == std::string::npos);
  REQUIRE(s.request.headers.size() == 4);
  CHECK(s.request.headers[3].name == "X-Amz-Security-Token");
  CHECK(s.request.headers[3].value == "TOKEN");
}

TEST_CASE("sign with sign_body adds and signs x-amz-content-sha256") {
  SigningParams p = params();
  p.sign_body = true;
  Signed s = sign(Request{"POST", "/", {{"Host", "h"}}, "Param1=value1"}, {"AKID", kSecret, ""}, p);
  const std::string hash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
  CHECK(s.canonical_request.find("\nx-amz-content-sha256:" + hash + "\n") != std::string::npos);
  CHECK(s.authorization.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date,") !=
        std::string::npos);
}

TEST_CASE("presign appends the X-Amz-* parameters to any existing query") {
  Credentials creds{"AKIDEXAMPLE", kSecret, ""};
  SigningParams p = params();
  p.expires_in = 60;
  const std::string tail =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fec2%"
      "2F"
      "aws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=60"
      "&X-Amz-Signature=";
  for (auto [target, prefix] : {std::pair{"/", "/?"}, std::pair{"/?", "/?"},
                                std::pair{"/?a=1", "/?a=1&"}, std::pair{"/?a=1&", "/?a=1&"}}) {
    CAPTURE(target);
    Signed s = presign(Request{"GET", target, {{"Host", "h"}}, ""}, creds, p);
    CHECK(s.request.target == prefix + tail + s.signature);
    CHECK(s.authorization.empty());
    CHECK(s.request.headers.size() == 1);
  }
}

}  // namespace ec2rk::sigv4
