// EC2RK_READ_TIMEOUT_MS, added for the fault matrix's "latency beyond the read timeout"
// case: it must reach the EC2 transport's options and reject malformed values up front.
#include <doctest/doctest.h>

#include <algorithm>

#include "ec2api/session.h"

namespace ec2rk::ec2api {
namespace {

Result<SessionSettings> resolve_with(const std::map<std::string, std::string>& vars) {
  MapEnvironment env(vars);
  SessionOptions options;
  options.region = "us-east-1";
  SharedConfig config;
  return resolve_settings(options, env, config, nullptr);
}

TEST_CASE("EC2RK_READ_TIMEOUT_MS sets the EC2 read timeout, and unset leaves the transport default") {
  auto set = resolve_with({{"EC2RK_READ_TIMEOUT_MS", "1500"}});
  REQUIRE(set.ok());
  CHECK(set->read_timeout == std::chrono::milliseconds(1500));
  auto unset = resolve_with({});
  REQUIRE(unset.ok());
  CHECK(unset->read_timeout == std::chrono::milliseconds(0));
}

TEST_CASE("a malformed EC2RK_READ_TIMEOUT_MS is a configuration error naming the variable") {
  for (const char* bad : {"0", "-5", "abc", "1.5", "1e3", "600001", "99999999999", " 100"}) {
    CAPTURE(bad);
    auto r = resolve_with({{"EC2RK_READ_TIMEOUT_MS", bad}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kConfig);
    CHECK(r.error().message.find("EC2RK_READ_TIMEOUT_MS") == 0);
  }
}

TEST_CASE("make_session hands the read timeout to the EC2 transport") {
  MapEnvironment env({{"EC2RK_READ_TIMEOUT_MS", "1234"},
                      {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                      {"AWS_SECRET_ACCESS_KEY", "secret"},
                      {"AWS_CONFIG_FILE", "/nonexistent/config"},
                      {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"},
                      {"AWS_EC2_METADATA_DISABLED", "true"}});
  SessionOptions options;
  options.region = "us-east-1";
  std::vector<std::chrono::milliseconds> read_timeouts;
  SessionSeams seams;
  seams.make_transport = [&](const HttpOptions& o) -> std::shared_ptr<HttpTransport> {
    read_timeouts.push_back(o.read_timeout);
    return nullptr;
  };
  auto session = make_session(options, env, nullptr, seams);
  REQUIRE(session.ok());
  CHECK(std::find(read_timeouts.begin(), read_timeouts.end(), std::chrono::milliseconds(1234)) !=
        read_timeouts.end());
}

}  // namespace
}  // namespace ec2rk::ec2api
