// Fuzzes the EC2 XML response parsers (ec2api/xml.h). The first byte picks the parser, the
// rest is the body. Contract checked: never crash, and a rejected body is a kParse error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ec2api/xml.h"
#include "fuzz/fuzz_check.h"

using namespace ec2rk;
using namespace ec2rk::ec2api;

namespace {

template <class R>
void expect_parse_error_kind(const R& r) {
  if (!r.ok()) {
    FUZZ_CHECK(r.error().kind == ErrorKind::kParse);
    FUZZ_CHECK(!r.error().message.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0: {
      auto r = parse_describe_route_tables(body);
      expect_parse_error_kind(r);
      if (r.ok()) {
        for (const auto& t : r->route_tables) (void)t.routes.size();
      }
      break;
    }
    case 1: expect_parse_error_kind(parse_return(body)); break;
    case 2: expect_parse_error_kind(parse_describe_addresses(body)); break;
    case 3: expect_parse_error_kind(parse_associate_address(body)); break;
    case 4: expect_parse_error_kind(parse_describe_network_interfaces(body)); break;
    case 5: expect_parse_error_kind(parse_describe_instances(body)); break;
    case 6: expect_parse_error_kind(parse_describe_vpcs(body)); break;
    case 7: (void)parse_request_id(body); break;
  }
  return 0;
}
