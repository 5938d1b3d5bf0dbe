// `ec2rk api`: argv -> stdout, stderr and exit code, over a fake session.
#include <doctest/doctest.h>

#include <sstream>

#include "cli/app.h"
#include "ec2api/credentials.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"

namespace ec2rk::cli {
namespace {

using testing::FakeClock;
using testing::FakeTransport;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct ApiHarness {
  std::istringstream in;
  std::ostringstream out, err;
  FakeClock clock;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  ec2api::MapEnvironment env;
  App app;
  std::optional<ec2api::SessionOptions> seen;
  std::optional<Error> session_error;

  ApiHarness() {
    app.io.in = &in;
    app.io.out = &out;
    app.io.err = &err;
    app.deps.env = &env;
    app.deps.clock = &clock;
    app.deps.make_session = [this](const ec2api::SessionOptions& o,
                                   ec2api::TraceSink trace) -> Result<ec2api::Session> {
      seen = o;
      if (session_error) return *session_error;
      ec2api::Session s;
      s.region = o.region.empty() ? "us-east-1" : o.region;
      s.endpoint_url = "https://ec2." + s.region + ".amazonaws.com";
      s.transport = transport;
      s.credentials = ec2api::make_static_credentials({"AKIDEXAMPLE12345WXYZ", kSecret, ""}, "environment");
      s.client_options.region = s.region;
      s.client_options.endpoint_url = s.endpoint_url;
      s.client_options.jitter = [] { return 0.5; };
      s.trace = std::move(trace);
      return s;
    };
  }
  int run(std::vector<std::string> argv) { return cli::run(app, argv); }
};

TEST_CASE("ec2rk api sends the action with its Key=Value parameters and prints the body") {
  ApiHarness h;
  h.transport->on("DescribeRouteTables", 200, "<DescribeRouteTablesResponse><requestId>r-1</requestId></DescribeRouteTablesResponse>");
  int code = h.run({"api", "DescribeRouteTables", "Filter.1.Name=vpc-id", "Filter.1.Value.1=vpc-1",
                    "Note=a=b c", "Empty="});
  CHECK(code == 0);
  CHECK(h.out.str() == "<DescribeRouteTablesResponse><requestId>r-1</requestId></DescribeRouteTablesResponse>\n");
  CHECK(h.err.str().empty());
  const auto& r = h.transport->requests().at(0);
  CHECK(r.body ==
        "Action=DescribeRouteTables&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1"
        "&Note=a%3Db+c&Empty=");
}

TEST_CASE("ec2rk api prints an EC2 error with code and request id on stderr and exits 1") {
  ApiHarness h;
  h.transport->on("ReplaceRoute", 400,
                  "<Response><Errors><Error><Code>InvalidRoute.NotFound</Code><Message>no route</Message>"
                  "</Error></Errors><RequestID>req-9</RequestID></Response>");
  CHECK(h.run({"api", "ReplaceRoute", "RouteTableId=rtb-1"}) == 1);
  CHECK(h.out.str().empty());
  CHECK(h.err.str() == "ec2rk: error: no route (InvalidRoute.NotFound, request id req-9)\n");
}

TEST_CASE("ec2rk api refuses a parameter without '=' with exit 2 and sends nothing") {
  ApiHarness h;
  CHECK(h.run({"api", "DescribeVpcs", "VpcId.1"}) == 2);
  CHECK(h.err.str() == "ec2rk: error: api: expected Key=Value, got 'VpcId.1'\n");
  CHECK_FALSE(h.seen.has_value());
  CHECK(h.run({"api", "DescribeVpcs", "=x"}) == 2);
}

TEST_CASE("ec2rk api without an action is a usage error") {
  ApiHarness h;
  CHECK(h.run({"api"}) == 2);
  CHECK(h.err.str().find("ec2rk: error:") != std::string::npos);
}

TEST_CASE("ec2rk api passes global flags given before or after the subcommand to the session") {
  ApiHarness h;
  h.transport->on("DescribeVpcs", 200, "<DescribeVpcsResponse/>");
  CHECK(h.run({"--profile", "prod", "api", "DescribeVpcs", "--region", "eu-west-1",
               "--endpoint-url", "https://vpce.example.com"}) == 0);
  REQUIRE(h.seen.has_value());
  CHECK(h.seen->region == "eu-west-1");
  CHECK(h.seen->profile == "prod");
  CHECK(h.seen->endpoint_url == "https://vpce.example.com");
  CHECK_FALSE(h.seen->debug);
  CHECK(h.transport->requests().at(0).url == "https://ec2.eu-west-1.amazonaws.com/");
}

TEST_CASE("ec2rk api --debug traces each attempt on stderr with secrets redacted") {
  ApiHarness h;
  h.transport->on("DescribeVpcs", 503,
                  "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down</Message>"
                  "</Error></Errors><RequestID>req-1</RequestID></Response>")
      .on("DescribeVpcs", 200, "<DescribeVpcsResponse/>");
  CHECK(h.run({"api", "DescribeVpcs", "--debug"}) == 0);
  std::string err = h.err.str();
  CAPTURE(err);
  CHECK(err.find("debug: POST https://ec2.us-east-1.amazonaws.com/ DescribeVpcs attempt 1/3") != std::string::npos);
  CHECK(err.find("debug:   < 503 RequestLimitExceeded") != std::string::npos);
  CHECK(err.find("debug:   retry 2/3 in 500 ms") != std::string::npos);
  CHECK(err.find("Signature=<redacted>") != std::string::npos);
  CHECK(err.find(kSecret) == std::string::npos);
  CHECK(h.out.str() == "<DescribeVpcsResponse/>\n");
}

TEST_CASE("ec2rk api reports session errors with the exit code of their kind") {
  ApiHarness h;
  h.session_error = make_error(ErrorKind::kConfig, "~/.aws/config:7: expected 'key = value'");
  CHECK(h.run({"api", "DescribeVpcs"}) == 2);
  CHECK(h.err.str() == "ec2rk: error: ~/.aws/config:7: expected 'key = value'\n");
  ApiHarness c;
  c.session_error = make_error(ErrorKind::kCredentials, "no AWS credentials found");
  CHECK(c.run({"api", "DescribeVpcs"}) == 1);
}

}  // namespace
}  // namespace ec2rk::cli
