// Regression (tests/integration/fault_bad_input.py): an endpoint answering DescribeRouteTables
// with a NextToken every time (the same one, or a fresh one forever) kept `ec2rk check` paging
// forever: observe's own pagination had neither ec2api's repeated-token check nor its page cap.
#include <doctest/doctest.h>

#include <random>

#include "cli/observe.h"
#include "ec2api/credentials.h"
#include "tests/cli/fixture.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"

namespace ec2rk::cli::test {
namespace {

// Every DescribeRouteTables page carries a NextToken from `token(n)`; other calls are empty.
class PagingTransport : public ec2api::HttpTransport {
 public:
  explicit PagingTransport(std::function<std::string(int)> token) : token_(std::move(token)) {}
  std::vector<Result<ec2api::HttpResponse>> send_all(const std::vector<ec2api::HttpRequest>& requests) override {
    std::vector<Result<ec2api::HttpResponse>> out;
    for (const auto& r : requests) {
      const std::string action = testing::FakeTransport::key_of(r);
      ec2api::HttpResponse resp;
      resp.status = 200;
      if (action == "DescribeRouteTables") {
        ++pages;
        resp.body = route_tables_xml({}, "req-rt", token_(pages));
      } else {
        resp.body = "<" + action + "Response><requestId>r</requestId></" + action + "Response>";
      }
      out.emplace_back(std::move(resp));
    }
    return out;
  }
  int pages = 0;

 private:
  std::function<std::string(int)> token_;
};

Result<ObservedState> observe_with(std::shared_ptr<PagingTransport> t, int max_pages) {
  testing::FakeClock clock;
  ec2api::ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = "https://ec2.test";
  o.max_pages = max_pages;
  ec2api::Ec2Client client(o, t, ec2api::make_static_credentials({"AKIDEXAMPLE", "secret", ""}), clock, nullptr);
  Config config = example_config();
  config.eips.clear();
  return observe(client, config, ObserveScope{});
}

TEST_CASE("observing stops with a parse error when EC2 repeats a NextToken") {
  auto t = std::make_shared<PagingTransport>([](int) { return std::string("again"); });
  auto r = observe_with(t, 1000);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kParse);
  CHECK(r.error().message == "DescribeRouteTables: EC2 returned the same NextToken twice; stopping");
  CHECK(t->pages == 2);
}

TEST_CASE("observing stops after the client's page limit when EC2 never stops paging") {
  auto t = std::make_shared<PagingTransport>([](int n) { return "token-" + std::to_string(n); });
  auto r = observe_with(t, 7);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "DescribeRouteTables: EC2 returned more than 7 pages; stopping");
  CHECK(t->pages == 7);
}

TEST_CASE("observing follows a finite chain of pages to the end") {
  auto t = std::make_shared<PagingTransport>([](int n) { return n < 5 ? "token-" + std::to_string(n) : ""; });
  auto r = observe_with(t, 1000);
  CHECK(r.ok());
  CHECK(t->pages == 5);
}

}  // namespace
}  // namespace ec2rk::cli::test
