// Fuzzes the ec2rk configuration parser (cli/config.h parse_config, TOML). Contract
// checked: never crash or throw; a rejected file is a kConfig error naming the file; an
// accepted one has at least two nodes, at least one resource, and every resource has an
// ENI for every node.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/config.h"
#include "fuzz/fuzz_check.h"

using namespace ec2rk;
using namespace ec2rk::cli;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = parse_config(text, "fuzz.toml");
  if (!r.ok()) {
    FUZZ_CHECK(r.error().kind == ErrorKind::kConfig);
    FUZZ_CHECK(r.error().message.rfind("fuzz.toml", 0) == 0);
    return 0;
  }
  const Config& c = r.value();
  FUZZ_CHECK(c.nodes.size() >= 2);
  FUZZ_CHECK(!c.routes.empty() || !c.eips.empty());
  for (const auto& route : c.routes) {
    for (const auto& n : c.nodes) FUZZ_CHECK(route.eni.count(n.name) == 1);
  }
  for (const auto& eip : c.eips) {
    for (const auto& n : c.nodes) FUZZ_CHECK(eip.eni.count(n.name) == 1);
  }
  const auto names = c.resource_names();
  auto one = select_resources(c, {names.front()});
  FUZZ_CHECK(one.ok());
  FUZZ_CHECK(one->routes.size() + one->eips.size() == 1);
  auto none = select_resources(c, {"no-such-resource-\x01"});
  FUZZ_CHECK(!none.ok() && none.error().kind == ErrorKind::kUsage);
  return 0;
}
