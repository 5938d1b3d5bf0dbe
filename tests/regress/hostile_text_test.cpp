// Regression (docs/bad-input.md, tests/integration/fault_bad_input.py): a hostile endpoint's
// terminal escape sequences in response values were printed raw by `ec2rk check`
// ("203.0.113.10\x1b[2J\x1b[31mFAKE is on eni-...\x1b[32m"), and could clear or recolour
// the operator's terminal. Values and error messages now carry '?' for control characters.
#include <doctest/doctest.h>

#include <sstream>

#include "cli/output.h"
#include "ec2api/xml.h"

namespace ec2rk {
namespace {

bool has_control(const std::string& s, bool allow_newline = false) {
  for (char c : s) {
    if (allow_newline && c == '\n') continue;
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

TEST_CASE("control characters in EC2 response values are replaced before anyone prints them") {
  const std::string body =
      "<DescribeAddressesResponse><requestId>r\x1b]0;title\x07</requestId><addressesSet><item>"
      "<publicIp>203.0.113.10\x1b[2J\x1b[31mFAKE</publicIp><allocationId>eipalloc-1\r</allocationId>"
      "<networkInterfaceId>eni-1\tx\ny\x7f</networkInterfaceId></item></addressesSet>"
      "</DescribeAddressesResponse>";
  auto r = ec2api::parse_describe_addresses(body);
  REQUIRE(r.ok());
  REQUIRE(r->addresses.size() == 1);
  const auto& a = r->addresses[0];
  CHECK(a.public_ip == "203.0.113.10?[2J?[31mFAKE");
  CHECK(a.allocation_id == "eipalloc-1?");
  CHECK(a.network_interface_id == "eni-1?x?y?");
  CHECK(r->meta.request_id == "r?]0;title?");
}

TEST_CASE("an EC2 error message with escape sequences is printed without them") {
  const std::string body =
      "<Response><Errors><Error><Code>Bad\x1b[0m</Code><Message>gone\x1b[2J\rdone</Message></Error></Errors>"
      "<RequestID>id</RequestID></Response>";
  Error e = ec2api::parse_error_response(400, body);
  CHECK_FALSE(has_control(e.message));
  CHECK_FALSE(has_control(e.aws_code));
  std::ostringstream err;
  cli::Io io;
  io.err = &err;
  cli::print_error(io, e);
  cli::print_error(io, "from IMDS: \x1b]0;pwned\x07 and a\nsecond line");
  CAPTURE(err.str());
  CHECK_FALSE(has_control(err.str(), /*allow_newline=*/true));
  CHECK(err.str().find("from IMDS: ?]0;pwned? and a\nsecond line") != std::string::npos);
}

}  // namespace
}  // namespace ec2rk
