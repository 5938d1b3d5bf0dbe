// Fuzzes the instance-profile credentials document parser (ec2api/credentials.h
// parse_imds_credentials, the JSON IMDS serves). Contract checked: never crash or throw;
// a rejected document is kCredentials; an accepted one has every field non-empty.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ec2api/credentials.h"
#include "fuzz/fuzz_check.h"

using namespace ec2rk;
using namespace ec2rk::ec2api;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = parse_imds_credentials(text);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().kind == ErrorKind::kCredentials);
    FUZZ_CHECK(!r.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(!r->credentials.access_key_id.empty());
  FUZZ_CHECK(!r->credentials.secret_access_key.empty());
  FUZZ_CHECK(!r->credentials.session_token.empty());
  return 0;
}
