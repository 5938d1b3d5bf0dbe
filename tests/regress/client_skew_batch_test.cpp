// Regression (fault matrix, sim --clock-skew-s 600): `ec2rk check` sends its first reads as
// one parallel batch. The first AuthFailure corrected the clock offset, and its siblings,
// signed before the correction, were then judged "not skewed" and failed: check exited 1.
#include <doctest/doctest.h>

#include <ctime>
#include <fstream>
#include <sstream>

#include "ec2api/client.h"
#include "ec2api/credentials.h"
#include "ec2api/query.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"

namespace ec2rk::ec2api {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(EC2RK_SHARED_TESTDATA) + "/ec2-xml/" + name);
  REQUIRE_MESSAGE(in.good(), "missing fixture " << name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string imf_date(int64_t unix) {
  std::time_t t = static_cast<std::time_t>(unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

TEST_CASE("every call of a parallel batch signed with a skewed clock is re-signed once, not just the first") {
  testing::FakeClock clock;
  const int64_t server_now = 1735787045;       // 2025-01-02T03:04:05Z
  clock.set_unix_ms((server_now - 600) * 1000);  // the local clock is 10 minutes behind
  auto transport = std::make_shared<testing::FakeTransport>();
  const std::vector<HttpHeader> date = {{"Date", imf_date(server_now)}};
  const std::vector<std::string> actions = {"DescribeAddresses", "DescribeNetworkInterfaces",
                                            "DescribeInstances"};
  for (const auto& a : actions) {
    transport->on(a, 401, fixture("error-AuthFailure.xml"), date);
    transport->on(a, 200, "<" + a + "Response><requestId>r-" + a + "</requestId></" + a + "Response>", date,
                  [](const HttpRequest& r) {
                    CHECK(testing::request_header(r, "X-Amz-Date") == "20250102T030405Z");
                  });
  }
  ClientOptions options;
  options.region = "us-east-1";
  options.endpoint_url = "https://ec2.us-east-1.amazonaws.com";
  options.jitter = [] { return 0.5; };
  std::vector<std::string> warnings;
  options.warn = [&warnings](std::string_view w) { warnings.emplace_back(w); };
  Ec2Client client(options, transport,
                   make_static_credentials({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""}),
                   clock, nullptr);
  std::vector<Query> batch;
  for (const auto& a : actions) {
    Query q;
    q.action = a;
    batch.push_back(q);
  }
  auto results = client.call_all(batch);
  REQUIRE(results.size() == actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    CAPTURE(actions[i]);
    CHECK(results[i].ok());
  }
  CHECK(transport->requests().size() == 2 * actions.size());
  // The user is told once, not once per call of the batch.
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("600 s behind") != std::string::npos);
}

}  // namespace
}  // namespace ec2rk::ec2api
