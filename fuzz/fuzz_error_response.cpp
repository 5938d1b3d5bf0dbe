// Fuzzes the EC2 error envelope (ec2api/xml.h parse_error_response). The first two bytes
// are the HTTP status (300-599), the rest the body. Contract checked: never crash; the
// message is never empty; the kind follows the status and code as documented.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ec2api/xml.h"
#include "fuzz/fuzz_check.h"

using namespace ec2rk;
using namespace ec2rk::ec2api;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const int status = 300 + ((data[0] << 8) | data[1]) % 300;
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);
  Error e = parse_error_response(status, body);
  FUZZ_CHECK(!e.message.empty());
  FUZZ_CHECK(e.http_status == status);
  if (is_throttling_code(e.aws_code)) {
    FUZZ_CHECK(e.kind == ErrorKind::kThrottled);
  } else if (status >= 500) {
    FUZZ_CHECK(e.kind == ErrorKind::kServer);
  } else {
    FUZZ_CHECK(e.kind == ErrorKind::kService || e.kind == ErrorKind::kServer);
  }
  (void)e.describe();
  return 0;
}
