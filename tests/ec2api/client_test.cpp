// Ec2Client against a scripted transport and a fake clock: signing, paging,
// standard-mode retries with exact delays, deadlines, clock skew, credentials refresh.
#include "ec2api/client.h"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "ec2api/credentials.h"
#include "ec2api/query.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_transport.h"

namespace ec2rk::ec2api {
namespace {

using testing::FakeClock;
using testing::FakeTransport;
using testing::form_param;
using testing::request_header;
using namespace std::chrono_literals;

constexpr const char* kAkid = "AKIDEXAMPLE12345WXYZ";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(EC2RK_SHARED_TESTDATA) + "/ec2-xml/" + name);
  REQUIRE_MESSAGE(in.good(), "missing fixture " << name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Returns the given values in turn (then the last one forever).
std::function<double()> sequence(std::vector<double> values) {
  auto state = std::make_shared<std::pair<std::vector<double>, size_t>>(std::move(values), 0);
  return [state] {
    auto& [v, i] = *state;
    double x = v[std::min(i, v.size() - 1)];
    ++i;
    return x;
  };
}

struct Harness {
  FakeClock clock;
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::vector<std::string> trace;
  ClientOptions options;
  std::shared_ptr<CredentialsProvider> credentials =
      make_static_credentials({kAkid, kSecret, ""}, "environment");

  Harness() {
    options.region = "us-east-1";
    options.endpoint_url = "https://ec2.us-east-1.amazonaws.com";
    options.jitter = sequence({0.5});
  }
  std::unique_ptr<Ec2Client> client() {
    return std::make_unique<Ec2Client>(options, transport, credentials, clock,
                                       [this](std::string_view l) { trace.emplace_back(l); });
  }
  std::string all_trace() const {
    std::string s;
    for (const auto& l : trace) s += l + "\n";
    return s;
  }
};

Query describe_query() {
  Query q;
  q.action = "DescribeRouteTables";
  q.add("Filter.1.Name", "vpc-id");
  q.add("Filter.1.Value.1", "vpc-0a1b2c3d");
  return q;
}

// Verifies the request's SigV4 signature as a server would.
void check_signature(const HttpRequest& r, const std::string& secret, const std::string& token) {
  auto auth = sigv4::parse_authorization(request_header(r, "Authorization"));
  REQUIRE(auth.has_value());
  sigv4::Request received;
  received.method = r.method;
  received.target = "/";
  for (const auto& h : r.headers) received.headers.push_back({h.name, h.value});
  received.body = r.body;
  CHECK(sigv4::expected_signature(received, *auth, secret, token) == auth->signature);
}

TEST_CASE("a call is a form POST signed over content-type, host and x-amz-date only") {
  Harness h;
  h.transport->on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"));
  auto r = h.client()->call(describe_query());
  REQUIRE(r.ok());
  REQUIRE(h.transport->requests().size() == 1);
  const HttpRequest& req = h.transport->requests()[0];
  CHECK(req.method == "POST");
  CHECK(req.url == "https://ec2.us-east-1.amazonaws.com/");
  CHECK(req.body ==
        "Action=DescribeRouteTables&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-0a1b2c3d");
  CHECK(request_header(req, "Content-Type") == "application/x-www-form-urlencoded; charset=utf-8");
  CHECK(request_header(req, "Host") == "ec2.us-east-1.amazonaws.com");
  CHECK(request_header(req, "X-Amz-Date") == "20250102T030405Z");
  CHECK(request_header(req, "X-Amz-Security-Token").empty());
  auto auth = sigv4::parse_authorization(request_header(req, "Authorization"));
  REQUIRE(auth.has_value());
  CHECK(auth->access_key_id == kAkid);
  CHECK(auth->region == "us-east-1");
  CHECK(auth->service == "ec2");
  CHECK(auth->signed_headers == std::vector<std::string>{"content-type", "host", "x-amz-date"});
  check_signature(req, kSecret, "");
  CHECK(r->http_status == 200);
  CHECK_FALSE(r->request_id.empty());
}

TEST_CASE("a session token is sent and signed, and a non-default port is part of the signed host") {
  Harness h;
  h.options.endpoint_url = "http://127.0.0.1:8999";
  h.credentials = make_static_credentials({kAkid, kSecret, "FQoGZXIvYXdzEJr//session+token=="}, "environment");
  h.transport->on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"));
  REQUIRE(h.client()->call(describe_query()).ok());
  const HttpRequest& req = h.transport->requests().at(0);
  CHECK(req.url == "http://127.0.0.1:8999/");
  CHECK(request_header(req, "Host") == "127.0.0.1:8999");
  CHECK(request_header(req, "X-Amz-Security-Token") == "FQoGZXIvYXdzEJr//session+token==");
  auto auth = sigv4::parse_authorization(request_header(req, "Authorization"));
  REQUIRE(auth.has_value());
  CHECK(auth->signed_headers ==
        std::vector<std::string>{"content-type", "host", "x-amz-date", "x-amz-security-token"});
  check_signature(req, kSecret, "FQoGZXIvYXdzEJr//session+token==");
}

TEST_CASE("plain http:// to a non-loopback endpoint is refused before anything is sent") {
  Harness h;
  h.options.endpoint_url = "http://ec2.us-east-1.amazonaws.com";
  auto r = h.client()->call(describe_query());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kConfig);
  CHECK(h.transport->requests().empty());
}

TEST_CASE("describe_route_tables follows NextToken and joins all pages") {
  Harness h;
  h.transport->on("DescribeRouteTables", 200, fixture("DescribeRouteTables.xml"))
      .on("DescribeRouteTables", 200, fixture("DescribeRouteTables-page2.xml"));
  DescribeRouteTablesRequest req;
  req.filters = {{"vpc-id", {"vpc-0a1b2c3d"}}};
  req.max_results = 5;
  auto r = h.client()->describe_route_tables(req);
  REQUIRE(r.ok());
  std::vector<std::string> ids;
  for (const auto& t : r->route_tables) ids.push_back(t.route_table_id);
  CHECK(ids == std::vector<std::string>{"rtb-0c1d2e3f4a5b6c7d8", "rtb-0d2e3f4a5b6c7d8e9",
                                        "rtb-0e3f4a5b6c7d8e9f0", "rtb-0a9b8c7d6e5f40312"});
  CHECK(r->next_token.empty());
  auto sent = h.transport->requests();
  REQUIRE(sent.size() == 2);
  CHECK_FALSE(form_param(sent[0], "NextToken").has_value());
  CHECK(form_param(sent[1], "NextToken") == "eyJ2IjoiMyIsImMiOiJhYmMrZGVm/Z2hpIiwicyI6IjEifQ+x==");
  // Every page keeps the caller's filters and page size.
  CHECK(form_param(sent[1], "Filter.1.Value.1") == "vpc-0a1b2c3d");
  CHECK(form_param(sent[1], "MaxResults") == "5");
}

TEST_CASE("paging stops with a parse error when EC2 hands out the same NextToken twice") {
  Harness h;
  h.transport->on("DescribeRouteTables", 200, fixture("DescribeRouteTables.xml"))
      .on("DescribeRouteTables", 200, fixture("DescribeRouteTables.xml"));
  auto r = h.client()->describe_route_tables({});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kParse);
  CHECK(r.error().message.find("NextToken") != std::string::npos);
  CHECK(h.transport->requests().size() == 2);
}

TEST_CASE("paging stops past max_pages even when every token is new") {
  Harness h;
  h.options.max_pages = 3;
  std::string page = fixture("DescribeRouteTables.xml");
  for (int i = 0; i < 3; ++i) {
    std::string p = page;
    auto pos = p.find("</nextToken>");
    p.insert(pos, "-" + std::to_string(i));
    h.transport->on("DescribeRouteTables", 200, p);
  }
  auto r = h.client()->describe_route_tables({});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kParse);
  CHECK(h.transport->requests().size() == 3);
}

struct RetryCase {
  const char* name;
  int status;  // 0 = transport failure
  std::string body;
  ErrorKind transport_kind = ErrorKind::kNetwork;
};

TEST_CASE("each retryable error is retried with full-jitter delays and re-signed every attempt") {
  const std::vector<RetryCase> cases = {
      {"RequestLimitExceeded 503", 503, fixture("error-RequestLimitExceeded.xml")},
      {"InternalError 500", 500, fixture("error-InternalError.xml")},
      {"Unavailable 503", 503, fixture("error-Unavailable.xml")},
      {"RequestTimeout 400", 400,
       "<Response><Errors><Error><Code>RequestTimeout</Code><Message>slow</Message></Error></Errors>"
       "<RequestID>r-1</RequestID></Response>"},
      {"502 with an HTML body from a load balancer", 502, "<html>bad gateway</html>"},
      {"network error", 0, "", ErrorKind::kNetwork},
      {"request timeout in the transport", 0, "", ErrorKind::kTimeout},
  };
  for (const RetryCase& c : cases) {
    CAPTURE(c.name);
    Harness h;
    h.options.jitter = sequence({0.6, 0.7});
    for (int i = 0; i < 2; ++i) {
      if (c.status == 0) {
        h.transport->fail("DescribeRouteTables", c.transport_kind);
      } else {
        h.transport->on("DescribeRouteTables", c.status, c.body);
      }
    }
    h.transport->on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"));
    auto r = h.client()->call(describe_query());
    CHECK(r.ok());
    // rand * min(1 s * 2^(n-1), 20 s): 0.6 * 1 s, then 0.7 * 2 s.
    CHECK(h.clock.sleeps == std::vector<std::chrono::milliseconds>{600ms, 1400ms});
    auto sent = h.transport->requests();
    REQUIRE(sent.size() == 3);
    std::set<std::string> dates, signatures;
    for (const auto& s : sent) {
      dates.insert(request_header(s, "X-Amz-Date"));
      signatures.insert(request_header(s, "Authorization"));
      check_signature(s, kSecret, "");
    }
    CHECK(dates == std::set<std::string>{"20250102T030405Z", "20250102T030406Z", "20250102T030407Z"});
    CHECK(signatures.size() == 3);
  }
}

TEST_CASE("client errors are not retried, and the error envelope maps to kind, code and request id") {
  struct Case {
    const char* file;
    int status;
    const char* code;
    const char* request_id;
    ErrorKind kind;
  };
  const std::vector<Case> cases = {
      {"error-AuthFailure.xml", 401, "AuthFailure", "eba6606b-40d4-4324-b7a9-91955ce393ab", ErrorKind::kService},
      {"error-InvalidParameterValue.xml", 400, "InvalidParameterValue",
       "aa9ddcbf-3db6-4a8a-98bb-4d16605fa215", ErrorKind::kService},
      {"error-UnauthorizedOperation.xml", 403, "UnauthorizedOperation",
       "78e38956-a98e-4acb-b878-abe980077472", ErrorKind::kService},
      {"error-DryRunOperation.xml", 412, "DryRunOperation", "de73d918-d4e0-4801-acbd-406c75ef3fcb",
       ErrorKind::kService},
      {"error-InvalidRoute.NotFound.xml", 400, "InvalidRoute.NotFound",
       "469f9543-cbd4-4296-906d-04291b565b1e", ErrorKind::kService},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    Harness h;
    h.transport->on("DescribeRouteTables", c.status, fixture(c.file));
    auto r = h.client()->call(describe_query());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == c.kind);
    CHECK(r.error().aws_code == c.code);
    CHECK(r.error().request_id == c.request_id);
    CHECK(r.error().http_status == c.status);
    CHECK_FALSE(r.error().message.empty());
    CHECK(h.transport->requests().size() == 1);
    CHECK(h.clock.sleeps.empty());
  }
}

TEST_CASE("throttling maps to kThrottled and max_attempts bounds the attempts") {
  for (int max_attempts : {1, 2, 3, 5}) {
    CAPTURE(max_attempts);
    Harness h;
    h.options.max_attempts = max_attempts;
    h.options.jitter = sequence({0.5});
    for (int i = 0; i < max_attempts; ++i) {
      h.transport->on("DescribeRouteTables", 503, fixture("error-RequestLimitExceeded.xml"));
    }
    auto r = h.client()->call(describe_query());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kThrottled);
    CHECK(r.error().aws_code == "RequestLimitExceeded");
    CHECK(r.error().request_id == "222ee0ac-bbba-4657-820a-d70fe194f836");
    CHECK(h.transport->requests().size() == static_cast<size_t>(max_attempts));
    std::vector<std::chrono::milliseconds> expected;
    for (int n = 1; n < max_attempts; ++n) expected.push_back(std::chrono::milliseconds(500 << (n - 1)));
    CHECK(h.clock.sleeps == expected);
  }
}

TEST_CASE("backoff is capped at max_backoff") {
  Harness h;
  h.options.max_attempts = 8;
  h.options.jitter = sequence({0.999});
  for (int i = 0; i < 8; ++i) h.transport->on("DescribeRouteTables", 500, fixture("error-InternalError.xml"));
  REQUIRE_FALSE(h.client()->call(describe_query()).ok());
  REQUIRE(h.clock.sleeps.size() == 7);
  CHECK(h.clock.sleeps[4] == 15984ms);  // 0.999 * 16 s
  CHECK(h.clock.sleeps[5] == 19980ms);  // 0.999 * min(32 s, 20 s)
  CHECK(h.clock.sleeps[6] == 19980ms);
}

TEST_CASE("a retry that would sleep past the deadline is not made: the last error comes back as a timeout") {
  Harness h;
  h.options.max_attempts = 5;
  h.options.jitter = sequence({0.9});
  h.options.deadline = h.clock.now() + 1500ms;
  h.transport->on("DescribeRouteTables", 503, fixture("error-RequestLimitExceeded.xml"))
      .on("DescribeRouteTables", 503, fixture("error-RequestLimitExceeded.xml"));
  auto r = h.client()->call(describe_query());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kTimeout);
  CHECK(r.error().aws_code == "RequestLimitExceeded");
  CHECK(r.error().request_id == "222ee0ac-bbba-4657-820a-d70fe194f836");
  CHECK(h.clock.sleeps == std::vector<std::chrono::milliseconds>{900ms});  // 0.9*2 s would pass it
  auto sent = h.transport->requests();
  REQUIRE(sent.size() == 2);
  // Each request's own timeout is capped by what is left of the deadline.
  CHECK(sent[0].timeout == 1500ms);
  CHECK(sent[1].timeout == 600ms);
}

TEST_CASE("a deadline already passed sends nothing") {
  Harness h;
  h.options.deadline = h.clock.now();
  auto r = h.client()->call(describe_query());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kTimeout);
  CHECK(h.transport->requests().empty());
}

TEST_CASE("a transport timeout that exhausts the attempts is reported as a network error") {
  Harness h;
  h.options.max_attempts = 2;
  h.transport->fail("DescribeRouteTables", ErrorKind::kTimeout, "no complete response")
      .fail("DescribeRouteTables", ErrorKind::kTimeout, "no complete response");
  auto r = h.client()->call(describe_query());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kNetwork);
}

TEST_CASE("the retry quota stops retries after 100 retries of 5 tokens each") {
  Harness h;
  h.options.max_attempts = 1000;
  h.options.jitter = sequence({0.0});
  for (int i = 0; i < 101; ++i) h.transport->on("DescribeRouteTables", 500, fixture("error-InternalError.xml"));
  auto r = h.client()->call(describe_query());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().aws_code == "InternalError");
  CHECK(h.transport->requests().size() == 101);
  CHECK(h.all_trace().find("retry quota is exhausted") != std::string::npos);
}

std::string date_header(int64_t unix) {
  // IMF-fixdate for `unix`.
  std::time_t t = static_cast<std::time_t>(unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

TEST_CASE("a skewed local clock is corrected from the server's Date and the call retried at once") {
  Harness h;
  const int64_t server_now = 1735787045;          // 2025-01-02T03:04:05Z
  h.clock.set_unix_ms((server_now - 600) * 1000);  // local clock 10 minutes behind
  std::vector<std::string> warnings;
  h.options.warn = [&](std::string_view w) { warnings.emplace_back(w); };
  h.transport->on("DescribeRouteTables", 401, fixture("error-AuthFailure.xml"), {{"Date", date_header(server_now)}})
      .on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"), {{"Date", date_header(server_now)}})
      .on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"));
  auto client = h.client();
  REQUIRE(client->call(describe_query()).ok());
  auto sent = h.transport->requests();
  REQUIRE(sent.size() == 2);
  CHECK(request_header(sent[0], "X-Amz-Date") == "20250102T025405Z");
  CHECK(request_header(sent[1], "X-Amz-Date") == "20250102T030405Z");
  CHECK(h.clock.sleeps.empty());
  CHECK(h.all_trace().find("CLOCK SKEW") != std::string::npos);
  REQUIRE(warnings.size() == 1);  // loud even without --debug
  CHECK(warnings[0].find("600 s behind") != std::string::npos);
  // The correction sticks for later calls.
  REQUIRE(client->call(describe_query()).ok());
  CHECK(request_header(h.transport->requests().at(2), "X-Amz-Date") == "20250102T030405Z");
}

TEST_CASE("AuthFailure without clock skew is not retried, and skew is corrected only once per call") {
  SUBCASE("server Date agrees with the local clock") {
    Harness h;
    h.transport->on("DescribeRouteTables", 401, fixture("error-AuthFailure.xml"),
                    {{"Date", date_header(h.clock.unix_time())}});
    auto r = h.client()->call(describe_query());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "AuthFailure");
    CHECK(h.transport->requests().size() == 1);
  }
  SUBCASE("the corrected attempt fails too") {
    Harness h;
    const int64_t server_now = h.clock.unix_time() + 3600;
    h.transport->on("DescribeRouteTables", 403, fixture("error-SignatureDoesNotMatch.xml"),
                    {{"Date", date_header(server_now)}})
        .on("DescribeRouteTables", 403, fixture("error-SignatureDoesNotMatch.xml"),
            {{"Date", date_header(server_now)}});
    auto r = h.client()->call(describe_query());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "SignatureDoesNotMatch");
    CHECK(h.transport->requests().size() == 2);
  }
}

// Instance-profile credentials whose every refresh yields a new key.
class RotatingImdsCredentials : public CredentialsProvider {
 public:
  Result<sigv4::Credentials> get(bool refresh) override {
    if (refresh) ++refreshes;
    return sigv4::Credentials{"ASIAROTATING000" + std::to_string(refreshes), kSecret, "token-" + std::to_string(refreshes)};
  }
  std::string source() const override { return "imds"; }
  int refreshes = 0;
};

TEST_CASE("an auth failure with instance-profile credentials refreshes them once and retries") {
  Harness h;
  auto creds = std::make_shared<RotatingImdsCredentials>();
  h.credentials = creds;
  h.transport->on("DescribeRouteTables", 401, fixture("error-AuthFailure.xml"))
      .on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"));
  REQUIRE(h.client()->call(describe_query()).ok());
  CHECK(creds->refreshes == 1);
  auto sent = h.transport->requests();
  REQUIRE(sent.size() == 2);
  CHECK(request_header(sent[0], "X-Amz-Security-Token") == "token-0");
  CHECK(request_header(sent[1], "X-Amz-Security-Token") == "token-1");
  CHECK(h.clock.sleeps.empty());

  SUBCASE("but only once") {
    Harness h2;
    auto c2 = std::make_shared<RotatingImdsCredentials>();
    h2.credentials = c2;
    h2.transport->on("DescribeRouteTables", 401, fixture("error-AuthFailure.xml"))
        .on("DescribeRouteTables", 401, fixture("error-AuthFailure.xml"));
    REQUIRE_FALSE(h2.client()->call(describe_query()).ok());
    CHECK(c2->refreshes == 1);
  }
}

TEST_CASE("call_all sends independent calls in one batch and retries only the failed one") {
  Harness h;
  h.options.jitter = sequence({0.25});
  Query a = describe_query();
  Query b;
  b.action = "DescribeAddresses";
  Query c;
  c.action = "ReplaceRoute";
  c.add("RouteTableId", "rtb-1");
  h.transport->on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"))
      .on("DescribeAddresses", 503, fixture("error-RequestLimitExceeded.xml"))
      .on("DescribeAddresses", 200, fixture("DescribeAddresses.xml"))
      .on("ReplaceRoute", 200, fixture("ReplaceRoute.xml"));
  auto results = h.client()->call_all({a, b, c});
  REQUIRE(results.size() == 3);
  for (const auto& r : results) CHECK(r.ok());
  CHECK(results[1]->body.find("addressesSet") != std::string::npos);
  CHECK(results[2]->body.find("<return>true</return>") != std::string::npos);
  CHECK(h.transport->batch_sizes == std::vector<size_t>{3, 1});
  CHECK(h.clock.sleeps == std::vector<std::chrono::milliseconds>{250ms});
}

TEST_CASE("typed mutating calls parse their response") {
  Harness h;
  h.transport->on("ReplaceRoute", 200, fixture("ReplaceRoute.xml"))
      .on("AssociateAddress", 200, fixture("AssociateAddress.xml"));
  ReplaceRouteRequest rr;
  rr.route_table_id = "rtb-0c1d2e3f4a5b6c7d8";
  rr.destination_cidr_block = "10.1.0.10/32";
  rr.network_interface_id = "eni-1";
  auto client = h.client();
  auto r1 = client->replace_route(rr);
  REQUIRE(r1.ok());
  CHECK(r1->returned);
  AssociateAddressRequest ar;
  ar.allocation_id = "eipalloc-1";
  ar.network_interface_id = "eni-1";
  ar.allow_reassociation = true;
  auto r2 = client->associate_address(ar);
  REQUIRE(r2.ok());
  CHECK_FALSE(r2->association_id.empty());
  CHECK(form_param(h.transport->requests().at(1), "AllowReassociation") == "true");
}

TEST_CASE("the trace shows each attempt and its retry decision, with secrets and signatures redacted") {
  Harness h;
  const std::string token = "IQoJb3JpZ2luX2VjEHUaCXVzLWVhc3QtMSJHMEUCIQD";
  h.credentials = make_static_credentials({kAkid, kSecret, token}, "environment");
  h.options.jitter = sequence({0.5});
  h.transport->on("DescribeRouteTables", 503, fixture("error-RequestLimitExceeded.xml"))
      .on("DescribeRouteTables", 200, fixture("DescribeRouteTables-empty.xml"));
  REQUIRE(h.client()->call(describe_query()).ok());
  std::string t = h.all_trace();
  CAPTURE(t);
  CHECK(t.find("POST https://ec2.us-east-1.amazonaws.com/ DescribeRouteTables attempt 1/3") != std::string::npos);
  CHECK(t.find("503 RequestLimitExceeded") != std::string::npos);
  CHECK(t.find("request id 222ee0ac-bbba-4657-820a-d70fe194f836") != std::string::npos);
  CHECK(t.find("retry 2/3 in 500 ms (throttled") != std::string::npos);
  CHECK(t.find("Signature=<redacted>") != std::string::npos);
  CHECK(t.find("X-Amz-Security-Token: <redacted>") != std::string::npos);
  CHECK(t.find(kSecret) == std::string::npos);
  CHECK(t.find(token) == std::string::npos);
  CHECK(t.find(kAkid) == std::string::npos);  // only its last 4 characters
  CHECK(t.find("****WXYZ") != std::string::npos);
  for (const auto& r : h.transport->requests()) {
    auto auth = sigv4::parse_authorization(request_header(r, "Authorization"));
    REQUIRE(auth.has_value());
    CHECK(t.find(auth->signature) == std::string::npos);
  }
}

TEST_CASE("a credentials failure is returned without sending anything") {
  Harness h;
  h.credentials = make_credentials_chain({}, {});
  auto r = h.client()->call(describe_query());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kCredentials);
  CHECK(h.transport->requests().empty());
}

}  // namespace
}  // namespace ec2rk::ec2api
