// Fuzzes the AWS shared config/credentials parser (ec2api/ini.h parse_ini). Contract
// checked: never crash; a rejected file is a kConfig error starting with the display path;
// an accepted one answers find/get for every section and key it holds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ec2api/ini.h"
#include "fuzz/fuzz_check.h"

using namespace ec2rk;
using namespace ec2rk::ec2api;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = parse_ini(text, "~/.aws/config");
  if (!r.ok()) {
    FUZZ_CHECK(r.error().kind == ErrorKind::kConfig);
    FUZZ_CHECK(r.error().message.rfind("~/.aws/config:", 0) == 0);
    return 0;
  }
  for (const auto& section : r->sections) {
    FUZZ_CHECK(r->find(section.name) != nullptr);
    for (const auto& [key, value] : section.keys) {
      auto got = section.get(key);
      FUZZ_CHECK(value.is_nested ? !got.has_value() : got.has_value());
    }
  }
  return 0;
}
