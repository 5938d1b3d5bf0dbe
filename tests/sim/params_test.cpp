#include "sim/params.h"

#include <doctest/doctest.h>

using namespace ec2rk::sim;

TEST_CASE("parse_form decodes percent escapes, '+' as space and keeps empty values") {
  auto pairs =
      parse_form("Action=DescribeRouteTables&Filter.1.Value.1=10.1.0.10%2F32&Name=a+b&Empty=&Flag");
  REQUIRE(pairs.size() == 5);
  CHECK(pairs[0] == std::pair<std::string, std::string>{"Action", "DescribeRouteTables"});
  CHECK(pairs[1].second == "10.1.0.10/32");
  CHECK(pairs[2].second == "a b");
  CHECK(pairs[3] == std::pair<std::string, std::string>{"Empty", ""});
  CHECK(pairs[4] == std::pair<std::string, std::string>{"Flag", ""});
}

TEST_CASE("parse_form keeps malformed escapes literally instead of failing") {
  struct Case {
    const char* in;
    const char* value;
  };
  for (const Case& c : {Case{"k=%", "%"}, Case{"k=%2", "%2"}, Case{"k=%zz", "%zz"},
                        Case{"k=100%25", "100%"}, Case{"k=%2f%2F", "//"}}) {
    CAPTURE(c.in);
    auto pairs = parse_form(c.in);
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0].second == c.value);
  }
}

TEST_CASE("parse_form skips empty segments") {
  CHECK(parse_form("").empty());
  CHECK(parse_form("&&").empty());
  CHECK(parse_form("a=1&&b=2").size() == 2);
}

TEST_CASE("query_of returns the text after the first question mark") {
  CHECK(query_of("/?Action=X&a=b") == "Action=X&a=b");
  CHECK(query_of("/") == "");
  CHECK(query_of("/?") == "");
}

TEST_CASE("list collects Name.N in index order, allowing gaps and ignoring other shapes") {
  Params p(parse_form(
      "RouteTableId.2=b&RouteTableId.1=a&RouteTableId.10=c&RouteTableId.x=no&RouteTableId=no"
      "&RouteTableId.3.Extra=no&RouteTableIdX.1=no"));
  CHECK(p.list("RouteTableId") == std::vector<std::string>{"a", "b", "c"});
  CHECK(p.list("Missing").empty());
}

TEST_CASE("filters pair Filter.N.Name with its Filter.N.Value.M in order") {
  Params p(
      parse_form("Filter.2.Name=route.destination-cidr-block&Filter.2.Value.1=10.1.0.10%2F32"
                 "&Filter.1.Name=vpc-id&Filter.1.Value.2=vpc-b&Filter.1.Value.1=vpc-a"));
  auto f = p.filters();
  REQUIRE(f.size() == 2);
  CHECK(f[0].name == "vpc-id");
  CHECK(f[0].values == std::vector<std::string>{"vpc-a", "vpc-b"});
  CHECK(f[1].name == "route.destination-cidr-block");
  CHECK(f[1].values == std::vector<std::string>{"10.1.0.10/32"});
}

TEST_CASE("a filter without a Name has an empty name, so the caller can reject it") {
  Params p(parse_form("Filter.1.Value.1=x"));
  auto f = p.filters();
  REQUIRE(f.size() == 1);
  CHECK(f[0].name.empty());
}

TEST_CASE("the first of a repeated parameter wins") {
  Params p(parse_form("Action=A&Action=B"));
  CHECK(p.value("Action") == "A");
}

TEST_CASE("get_bool accepts true/false in any case and flags anything else") {
  Params p(parse_form("a=true&b=FALSE&c=yes&d="));
  bool valid = true;
  CHECK(p.get_bool("a", valid) == true);
  CHECK(p.get_bool("b", valid) == false);
  CHECK(valid);
  CHECK_FALSE(p.get_bool("missing", valid).has_value());
  CHECK(valid);
  CHECK_FALSE(p.get_bool("c", valid).has_value());
  CHECK_FALSE(valid);
  valid = true;
  CHECK_FALSE(p.get_bool("d", valid).has_value());
  CHECK_FALSE(valid);
}

TEST_CASE("param_shape replaces numeric segments with N") {
  CHECK(param_shape("Filter.2.Value.10") == "Filter.N.Value.N");
  CHECK(param_shape("RouteTableId.1") == "RouteTableId.N");
  CHECK(param_shape("SourceDestCheck.Value") == "SourceDestCheck.Value");
  CHECK(param_shape("Action") == "Action");
  CHECK(param_shape("A..1") == "A..N");
}
