#include "cli/app.h"

#include <doctest/doctest.h>

#include <sstream>

namespace ec2rk::cli {

struct Captured {
  std::istringstream in;
  std::ostringstream out, err;
  App app;
  Captured() {
    app.io.in = &in;
    app.io.out = &out;
    app.io.err = &err;
  }
};

TEST_CASE("--version prints the version on stdout and exits 0") {
  Captured c;
  CHECK(run(c.app, {"--version"}) == 0);
  CHECK(c.out.str().rfind("ec2rk ", 0) == 0);
  // The second line names the libcurl and OpenSSL in use (security fixes: linked in or not).
  CHECK(c.out.str().find("\n") < c.out.str().find("libcurl"));
  CHECK(c.out.str().find("OpenSSL 3.") != std::string::npos);
  CHECK(c.err.str().empty());
}

TEST_CASE("an unknown subcommand is a usage error with exit code 2") {
  Captured c;
  CHECK(run(c.app, {"frobnicate"}) == 2);
  CHECK(c.err.str().find("ec2rk: error:") != std::string::npos);
  CHECK(c.out.str().empty());
}

}  // namespace ec2rk::cli
