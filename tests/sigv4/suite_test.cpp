// The data-driven SigV4 suite: every case under ../shared/testdata/sigv4 and EC2RK_SIGV4_SUITES,
// every stage byte for byte; plus tests of the runner itself (discovery, failure reporting).
#include "tests/sigv4/suite.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>

namespace ec2rk::sigv4::testing {
namespace {

constexpr const char* kSuiteTestName = "every SigV4 suite case signs byte for byte at every stage";

fs::path shared_suite() {
  return fs::path(EC2RK_SHARED_TESTDATA) / "sigv4";
}

// A fresh directory under the system temp dir, removed when the object dies.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path =
        fs::temp_directory_path() / ("ec2rk-sigv4-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string slurp(const fs::path& p) {
  return suite_detail::read_file(p);
}

bool mentions(const SuiteResult& r, const std::string& case_part, const std::string& stage_part) {
  for (const auto& f : r.failures) {
    if (f.case_path.find(case_part) != std::string::npos &&
        f.stage.find(stage_part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string describe(const SuiteResult& r) {
  std::string out;
  for (const auto& f : r.failures) out += f.case_path + " [" + f.stage + "] " + f.detail + "\n";
  return out;
}

// Flips the last character of a file (a hex digit or letter), keeping its length.
void corrupt(const fs::path& p) {
  std::string text = slurp(p);
  REQUIRE(!text.empty());
  text.back() = text.back() == '0' ? '1' : '0';
  write_file(p, text);
}

}  // namespace

TEST_CASE(kSuiteTestName) {
  int cases = 0, passed = 0;
  for (const fs::path& dir : suite_dirs()) {
    CAPTURE(dir.string());
    SuiteResult r = run_suite_dir(dir);
    // A suite directory without a single case means discovery (or the path) is broken.
    if (r.cases == 0) FAIL_CHECK("no SigV4 cases found under " << dir.string());
    for (const Failure& f : r.failures) {
      FAIL_CHECK("case " << f.case_path << ", stage " << f.stage << ": " << f.detail);
    }
    cases += r.cases;
    passed += r.passed;
  }
  if (passed == cases) {
    std::cout << "sigv4: " << cases << " cases passed" << std::endl;
  } else {
    std::cout << "sigv4: " << passed << " of " << cases << " cases passed, " << (cases - passed)
              << " failed" << std::endl;
  }
}

TEST_CASE("the shared suite holds both layouts, nested classic cases and the EC2 and docs sets") {
  TempDir tmp;
  // Each sub-suite on its own: every one must contribute passing cases.
  for (const char* sub :
       {"aws4_testsuite", "aws-signing-test-suite-v4", "ec2-derived", "aws-docs-examples"}) {
    CAPTURE(sub);
    SuiteResult r = run_suite_dir(shared_suite() / sub);
    CHECK(r.cases > 0);
    CHECK(r.passed == r.cases);
  }
  SuiteResult nested = run_suite_dir(shared_suite() / "aws4_testsuite" / "normalize-path");
  CHECK(nested.cases > 0);
  CHECK(nested.passed == nested.cases);
}

TEST_CASE(
    "a copied classic case runs as one more case and a corrupted file fails naming case and "
    "stage") {
  TempDir tmp;
  const fs::path src = shared_suite() / "aws4_testsuite" / "get-vanilla-query-order-key-case";
  const fs::path copy = tmp.path / "get-vanilla-query-order-key-case";
  fs::copy(src, copy, fs::copy_options::recursive);

  SuiteResult ok = run_suite_dir(tmp.path);
  INFO(describe(ok));
  CHECK(ok.cases == 1);
  CHECK(ok.passed == 1);

  struct Corruption {
    const char* file;
    const char* stage;
  };
  for (Corruption c : {Corruption{"get-vanilla-query-order-key-case.sts", "string to sign"},
                       Corruption{"get-vanilla-query-order-key-case.creq", "canonical request"},
                       Corruption{"get-vanilla-query-order-key-case.authz", "authorization"}}) {
    CAPTURE(c.file);
    fs::remove_all(copy);
    fs::copy(src, copy, fs::copy_options::recursive);
    corrupt(copy / c.file);
    SuiteResult bad = run_suite_dir(tmp.path);
    INFO(describe(bad));
    CHECK(bad.cases == 1);
    CHECK(bad.passed == 0);
    CHECK(mentions(bad, "get-vanilla-query-order-key-case", c.stage));
  }
}

TEST_CASE(
    "a copied v4 case runs both variants and a corrupted query signature fails naming the stage") {
  TempDir tmp;
  const fs::path src = shared_suite() / "aws-signing-test-suite-v4" / "post-sts-header-after";
  const fs::path copy = tmp.path / "post-sts-header-after";
  fs::copy(src, copy, fs::copy_options::recursive);
  SuiteResult ok = run_suite_dir(tmp.path);
  INFO(describe(ok));
  CHECK(ok.cases == 1);
  CHECK(ok.passed == 1);

  corrupt(copy / "query-signature.txt");
  SuiteResult bad = run_suite_dir(tmp.path);
  CHECK(bad.passed == 0);
  CHECK(mentions(bad, "post-sts-header-after", "query signature"));
  CHECK_FALSE(mentions(bad, "post-sts-header-after", "header"));

  fs::remove_all(copy);
  fs::copy(src, copy, fs::copy_options::recursive);
  write_file(copy / "header-signed-request.txt",
             slurp(src / "header-signed-request.txt") + "unexpected body");
  SuiteResult bad_body = run_suite_dir(tmp.path);
  CHECK(mentions(bad_body, "post-sts-header-after", "header signed request body"));
}

TEST_CASE("a directory that looks like a case but cannot be read is a failure, not a skip") {
  TempDir tmp;
  const fs::path src = shared_suite() / "aws4_testsuite" / "get-vanilla";

  SUBCASE("classic case missing its .sts") {
    fs::copy(src, tmp.path / "get-vanilla", fs::copy_options::recursive);
    fs::remove(tmp.path / "get-vanilla" / "get-vanilla.sts");
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(r.cases == 1);
    CHECK(r.passed == 0);
    CHECK(mentions(r, "get-vanilla", "read"));
  }
  SUBCASE("classic expected files without a .req") {
    fs::copy(src, tmp.path / "get-vanilla", fs::copy_options::recursive);
    fs::remove(tmp.path / "get-vanilla" / "get-vanilla.req");
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(r.cases == 1);
    CHECK(mentions(r, "get-vanilla", "read"));
  }
  SUBCASE("classic request with a malformed request line") {
    fs::copy(src, tmp.path / "get-vanilla", fs::copy_options::recursive);
    write_file(tmp.path / "get-vanilla" / "get-vanilla.req", "GET /\nHost:example.amazonaws.com\n");
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(r.cases == 1);
    CHECK(mentions(r, "get-vanilla", "request"));
  }
  SUBCASE("v4 case with broken context.json") {
    const fs::path v4 = tmp.path / "get-vanilla-v4";
    fs::copy(shared_suite() / "aws-signing-test-suite-v4" / "get-vanilla", v4,
             fs::copy_options::recursive);
    write_file(v4 / "context.json", "{\"credentials\": ");
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(r.cases == 1);
    CHECK(mentions(r, "get-vanilla-v4", "context.json"));
  }
  SUBCASE("v4 case with a context.json lacking the region") {
    const fs::path v4 = tmp.path / "get-vanilla-v4";
    fs::copy(shared_suite() / "aws-signing-test-suite-v4" / "get-vanilla", v4,
             fs::copy_options::recursive);
    std::string ctx = slurp(v4 / "context.json");
    ctx.replace(ctx.find("\"region\""), 8, "\"regio\"");
    write_file(v4 / "context.json", ctx);
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(mentions(r, "get-vanilla-v4", "context.json"));
  }
  SUBCASE("v4 case with only part of a variant") {
    const fs::path v4 = tmp.path / "get-vanilla-v4";
    fs::copy(shared_suite() / "aws-signing-test-suite-v4" / "get-vanilla", v4,
             fs::copy_options::recursive);
    fs::remove(v4 / "query-string-to-sign.txt");
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(r.passed == 0);
    CHECK(mentions(r, "get-vanilla-v4", "read"));
  }
  SUBCASE("v4 expected files without request.txt") {
    const fs::path v4 = tmp.path / "get-vanilla-v4";
    fs::copy(shared_suite() / "aws-signing-test-suite-v4" / "get-vanilla", v4,
             fs::copy_options::recursive);
    fs::remove(v4 / "request.txt");
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(r.cases == 1);
    CHECK(mentions(r, "get-vanilla-v4", "read"));
  }
  SUBCASE("a suite path that does not exist") {
    SuiteResult r = run_suite_dir(tmp.path / "nope");
    CHECK(mentions(r, "nope", "read"));
  }
  SUBCASE("directories without case files are not cases") {
    fs::create_directories(tmp.path / "a" / "b");
    write_file(tmp.path / "a" / "notes.txt", "not a case");
    SuiteResult r = run_suite_dir(tmp.path);
    CHECK(r.cases == 0);
    CHECK(r.failures.empty());
  }
}

TEST_CASE("EC2RK_SIGV4_SUITES is a colon-separated list with empty entries ignored") {
  CHECK(split_suite_list("") == std::vector<std::string>{});
  CHECK(split_suite_list("/a") == std::vector<std::string>{"/a"});
  CHECK(split_suite_list("/a::/b c:") == std::vector<std::string>{"/a", "/b c"});
}

// End to end through the real entry point: this binary, re-run on the suite test only, with
// EC2RK_SIGV4_SUITES pointing at a copied case.
TEST_CASE("the suite binary counts an extra suite directory and fails naming a corrupted case") {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  REQUIRE_FALSE(ec);
  TempDir tmp;
  const fs::path copy = tmp.path / "nested" / "get-space";
  fs::create_directories(copy.parent_path());
  fs::copy(shared_suite() / "aws4_testsuite" / "normalize-path" / "get-space", copy,
           fs::copy_options::recursive);

  auto run = [&](const std::string& extra, int& status) {
    std::string cmd = "EC2RK_SIGV4_SUITES='" + extra + "' '" + self.string() +
                      "' --no-version --test-case='" + kSuiteTestName + "' 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    status = pclose(p);
    return out;
  };

  int base_status = 0, extra_status = 0, bad_status = 0;
  SuiteResult shared = run_suite_dir(shared_suite());
  REQUIRE(shared.passed == shared.cases);
  const std::string base = run("", base_status);
  CHECK(base_status == 0);
  CHECK(base.find("sigv4: " + std::to_string(shared.cases) + " cases passed\n") !=
        std::string::npos);

  const std::string extra = run(tmp.path.string(), extra_status);
  CHECK(extra_status == 0);
  CHECK(extra.find("sigv4: " + std::to_string(shared.cases + 1) + " cases passed\n") !=
        std::string::npos);

  corrupt(copy / "get-space.sts");
  const std::string bad = run(tmp.path.string(), bad_status);
  INFO(bad);
  CHECK(bad_status != 0);
  CHECK(bad.find("case " + copy.string() + ", stage string to sign") != std::string::npos);
  CHECK(bad.find("sigv4: " + std::to_string(shared.cases) + " of " +
                 std::to_string(shared.cases + 1) + " cases passed, 1 failed") !=
        std::string::npos);
}

}  // namespace ec2rk::sigv4::testing
