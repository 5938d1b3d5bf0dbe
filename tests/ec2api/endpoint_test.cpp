#include "ec2api/endpoint.h"

#include <doctest/doctest.h>

namespace ec2rk::ec2api {
namespace {

TEST_CASE("URLs parse into scheme, host, port and the signed Host value") {
  auto u = parse_url("https://ec2.us-east-1.amazonaws.com");
  REQUIRE(u.ok());
  CHECK(u->scheme == "https");
  CHECK(u->host == "ec2.us-east-1.amazonaws.com");
  CHECK(u->port == 0);
  CHECK(u->host_header() == "ec2.us-east-1.amazonaws.com");
  CHECK(parse_url("https://EC2.example.com:443/")->host_header() == "ec2.example.com");
  CHECK(parse_url("http://127.0.0.1:8080")->host_header() == "127.0.0.1:8080");
  CHECK(parse_url("http://[::1]:1338")->host_header() == "[::1]:1338");
  CHECK(parse_url("http://[::1]:1338")->host == "::1");
  CHECK(parse_url("http://localhost:80/x")->host_header() == "localhost");
  CHECK(parse_url("http://localhost/x")->path == "/x");
  for (const char* bad : {"", "ec2.amazonaws.com", "ftp://x", "https://", "https://user:pw@host/",
                          "https://host/?Action=x", "https://host#frag", "https://host:0",
                          "https://host:99999", "https://host:", "https://[::1", "https://[zz]:1",
                          "https://ho st/", "https://host:8a"}) {
    CAPTURE(bad);
    auto r = parse_url(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kConfig);
  }
}

TEST_CASE("loopback hosts are 127.0.0.0/8, ::1 and localhost") {
  for (const char* yes : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST",
                          "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"}) {
    CAPTURE(yes);
    CHECK(is_loopback_host(yes));
  }
  for (const char* no : {"128.0.0.1", "10.0.0.1", "169.254.169.254", "::2", "localhost.example.com",
                         "ec2.us-east-1.amazonaws.com", "", "127.0.0.1.nip.io"}) {
    CAPTURE(no);
    CHECK_FALSE(is_loopback_host(no));
  }
}

TEST_CASE("plain http:// is accepted only for loopback endpoints") {
  CHECK(check_endpoint_url("http://127.0.0.1:5000", "--endpoint-url").ok());
  CHECK(check_endpoint_url("http://[::1]:5000", "--endpoint-url").ok());
  CHECK(check_endpoint_url("http://localhost:5000", "--endpoint-url").ok());
  CHECK(check_endpoint_url("https://vpce-1.ec2.us-east-1.vpce.amazonaws.com", "--endpoint-url").ok());
  for (const char* bad : {"http://ec2.us-east-1.amazonaws.com", "http://10.0.0.5:8080", "http://169.254.169.254"}) {
    CAPTURE(bad);
    auto r = check_endpoint_url(bad, "AWS_ENDPOINT_URL");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kConfig);
    CHECK(r.error().message.find("AWS_ENDPOINT_URL") != std::string::npos);
    CHECK(r.error().message.find("loopback") != std::string::npos);
  }
}

TEST_CASE("default endpoints follow the partition, FIPS and dual-stack") {
  struct Case {
    const char* region;
    bool fips, dualstack;
    const char* expected;
  };
  const Case cases[] = {
      {"us-east-1", false, false, "https://ec2.us-east-1.amazonaws.com"},
      {"eu-west-1", false, false, "https://ec2.eu-west-1.amazonaws.com"},
      {"cn-north-1", false, false, "https://ec2.cn-north-1.amazonaws.com.cn"},
      {"cn-northwest-1", false, true, "https://ec2.cn-northwest-1.api.amazonwebservices.com.cn"},
      {"us-east-1", true, false, "https://ec2-fips.us-east-1.amazonaws.com"},
      {"us-gov-west-1", true, false, "https://ec2.us-gov-west-1.amazonaws.com"},
      {"us-gov-west-1", false, false, "https://ec2.us-gov-west-1.amazonaws.com"},
      {"us-east-1", false, true, "https://ec2.us-east-1.api.aws"},
      {"us-east-1", true, true, "https://ec2-fips.us-east-1.api.aws"},
      {"us-iso-east-1", false, false, "https://ec2.us-iso-east-1.c2s.ic.gov"},
      {"us-isob-east-1", false, false, "https://ec2.us-isob-east-1.sc2s.sgov.gov"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.region);
    CAPTURE(c.fips);
    CAPTURE(c.dualstack);
    auto r = default_endpoint(c.region, c.fips, c.dualstack);
    REQUIRE(r.ok());
    CHECK(r.value() == c.expected);
  }
  CHECK_FALSE(default_endpoint("us-iso-east-1", false, true).ok());
  for (const char* bad : {"", "US-EAST-1", "us-east-1.evil.com", "us east", "1us", "us-east-1/"}) {
    CAPTURE(bad);
    auto r = default_endpoint(bad, false, false);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kConfig);
  }
}

}  // namespace
}  // namespace ec2rk::ec2api
