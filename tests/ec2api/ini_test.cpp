#include "ec2api/ini.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ec2rk::ec2api {
namespace {

TEST_CASE("the ini parser reads sections, keys, comments and whitespace as botocore does") {
  auto f = parse_ini(
      "# leading comment\n"
      "; another\n"
      "[default]\n"
      "  Output=json\n"  // indented, but no value open to continue: a key of its own
      "region = us-east-1\n"
      "\n"
      "[profile prod]   \n"
      "region: eu-west-1\n"
      "endpoint_url = https://vpce-1.ec2.eu-west-1.vpce.amazonaws.com\n"
      "note = a # not a comment\n"
      "empty =\n"
      "[ profile  spaced ]\r\n"
      "key=value=with=equals\r\n",
      "~/.aws/config");
  REQUIRE(f.ok());
  REQUIRE(f->sections.size() == 3);
  const IniSection* d = f->find("default");
  REQUIRE(d != nullptr);
  CHECK(d->get("region") == "us-east-1");
  CHECK(d->get("output") == "json");
  CHECK(d->get("REGION") == "us-east-1");
  const IniSection* p = f->find("profile prod");
  REQUIRE(p != nullptr);
  CHECK(p->get("region") == "eu-west-1");
  CHECK(p->get("note") == "a # not a comment");
  CHECK(p->get("empty") == "");
  CHECK_FALSE(p->get("missing").has_value());
  const IniSection* s = f->find("profile  spaced");
  REQUIRE(s != nullptr);
  CHECK(s->get("key") == "value=with=equals");
  CHECK(s->line == 12);
}

TEST_CASE("indented lines under an empty value form a nested section; under a value they continue it") {
  auto f = parse_ini(
      "[services local]\n"
      "ec2 =\n"
      "  endpoint_url = http://127.0.0.1:5000\n"
      "\n"
      "  Other = x\n"
      "[profile a]\n"
      "multi = first\n"
      "   second\n",
      "cfg");
  REQUIRE(f.ok());
  const IniSection* s = f->find("services local");
  REQUIRE(s != nullptr);
  const IniValue& v = s->keys.at("ec2");
  CHECK(v.is_nested);
  CHECK(v.nested.at("endpoint_url") == "http://127.0.0.1:5000");
  CHECK(v.nested.at("other") == "x");
  CHECK_FALSE(s->get("ec2").has_value());
  CHECK(f->find("profile a")->get("multi") == "first\nsecond");
}

TEST_CASE("malformed ini files are config errors naming the file and line") {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"[default]\nregion = us-east-1\nthis line is wrong\n", "~/.aws/config:3: expected 'key = value'"},
      {"region = us-east-1\n", "~/.aws/config:1: 'key = value' before any [section]"},
      {"[default\n", "~/.aws/config:1: expected '[section]'"},
      {"[]\n", "~/.aws/config:1: expected '[section]'"},
      {"[ ]\n", "~/.aws/config:1: empty section name"},
      {"[default]\n= value\n", "~/.aws/config:2: expected 'key = value'"},
      {"[a]\n[b]\n[a]\n", "~/.aws/config:3: section [a] already defined on line 1"},
      {"[a]\nk = 1\nK = 2\n", "~/.aws/config:3: key 'k' already set in [a] on line 2"},
      {"[services x]\nec2 =\n  endpoint_url\n", "~/.aws/config:3: expected 'key = value' in the nested section 'ec2'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto r = parse_ini(c.text, "~/.aws/config");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kConfig);
    CHECK(r.error().message == c.expected);
  }
}

TEST_CASE("ini errors never quote the offending line, which may hold a secret") {
  auto r = parse_ini("[default]\naws_secret_access_key wJalrXUtnFEMI/K7MDENG\n", "~/.aws/credentials");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("wJalrXUtnFEMI") == std::string::npos);
}

TEST_CASE("empty and comment-only files parse to no sections") {
  for (const char* text : {"", "\n\n", "# only\n; comments\n", "\xEF\xBB\xBF"}) {
    auto r = parse_ini(text, "f");
    REQUIRE(r.ok());
    CHECK(r->sections.empty());
  }
}

TEST_CASE("loading warns when a file with secrets is readable by group or others") {
  auto dir = std::filesystem::temp_directory_path() / ("ec2rk-ini-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "credentials").string();
  {
    std::ofstream out(path);
    out << "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s3cretvalue\n";
  }
  std::vector<std::string> warnings;
  auto warn = [&](std::string_view w) { warnings.emplace_back(w); };

  ::chmod(path.c_str(), 0644);
  auto r = load_ini_file(path, "~/.aws/credentials", warn);
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("~/.aws/credentials is readable by group or others") != std::string::npos);
  CHECK(warnings[0].find("s3cretvalue") == std::string::npos);

  warnings.clear();
  ::chmod(path.c_str(), 0600);
  REQUIRE(load_ini_file(path, "~/.aws/credentials", warn).ok());
  CHECK(warnings.empty());

  auto missing = load_ini_file((dir / "nope").string(), "nope", warn);
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  auto is_dir = load_ini_file(dir.string(), "dir", warn);
  CHECK_FALSE(is_dir.ok());
  std::filesystem::remove_all(dir);
}

TEST_CASE("no permission warning for a readable file without secret keys, or for /dev/null") {
  auto dir = std::filesystem::temp_directory_path() / ("ec2rk-ini-open-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "credentials").string();
  std::ofstream(path) << "[default]\nregion = eu-west-1\naws_access_key_id = AKIDEXAMPLE\n";
  ::chmod(path.c_str(), 0644);
  std::vector<std::string> warnings;
  auto warn = [&](std::string_view w) { warnings.emplace_back(w); };
  REQUIRE(load_ini_file(path, "~/.aws/credentials", warn).ok());
  auto null_file = load_ini_file("/dev/null", "/dev/null", warn);
  REQUIRE(null_file.ok());
  REQUIRE(null_file->has_value());
  CHECK((*null_file)->sections.empty());
  CHECK(warnings.empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ec2rk::ec2api
