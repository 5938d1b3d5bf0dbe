// Regression (found by fuzz_config under UBSan once toml++ was compiled into ec2rk): toml++
// 3.3.0 reached __builtin_unreachable() classifying most non-ASCII characters as whitespace
// or not, e.g. "é" at the start of a line of ec2rk.toml: undefined behaviour on a file anyone
// can write. Such files are now config errors with file and line like any other (cli/toml.h).
#include <doctest/doctest.h>

#include <string>

#include "cli/config.h"

namespace ec2rk {
namespace {

TEST_CASE("non-ASCII characters where TOML expects whitespace are config errors, not UB") {
  struct Case {
    std::string text;
    std::string where;  // the message's start
  };
  const Case cases[] = {
      {"\xc3\xa9 = 1\n", "/etc/ec2rk/ec2rk.toml:1: "},  // U+00E9 at the start of a line
      {"[nodes]\nnode1 = \"i-1\"\n  \xe3\x81\x82\n", "/etc/ec2rk/ec2rk.toml:3: "},  // U+3042
      {"[todes\xd2\x8f" "egiontnd_ides.regtointnd_r\xe9" "deg", "/etc/ec2rk/ec2rk.toml:"},  // the fuzzer's
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto config = cli::parse_config(c.text, "/etc/ec2rk/ec2rk.toml");
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.rfind(c.where, 0) == 0);
  }
}

}  // namespace
}  // namespace ec2rk
