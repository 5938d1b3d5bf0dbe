#include "sim/filters.h"

#include <doctest/doctest.h>

#include "sim_test_util.h"

using namespace ec2rk::sim;
using ec2rk::sim::testing::form;

TEST_CASE("glob_match supports * and ? and is otherwise exact and case-sensitive") {
  struct Case {
    const char* pattern;
    const char* value;
    bool match;
  };
  for (const Case& c :
       {Case{"10.1.0.10/32", "10.1.0.10/32", true}, Case{"10.1.*", "10.1.0.10/32", true},
        Case{"*", "", true}, Case{"*/32", "10.1.0.10/32", true}, Case{"node?", "node1", true},
        Case{"node?", "node10", false}, Case{"Node1", "node1", false},
        Case{"a*b*c", "axxbyyc", true}, Case{"a*b*c", "axxbyy", false}, Case{"", "x", false},
        Case{"x", "", false}}) {
    CAPTURE(c.pattern);
    CAPTURE(c.value);
    CHECK(glob_match(c.pattern, c.value) == c.match);
  }
}

TEST_CASE(
    "tag filters: tag:<key> gives that tag's value, tag-key every key, others are not tag "
    "filters") {
  Tags tags{{"Name", "node1"}, {"role", "db"}};
  CHECK(*tag_filter_values(tags, "tag:Name") == Values{"node1"});
  CHECK(tag_filter_values(tags, "tag:missing")->empty());
  CHECK(*tag_filter_values(tags, "tag-key") == Values{"Name", "role"});
  CHECK(*tag_filter_values(tags, "tag-value") == Values{"node1", "db"});
  CHECK_FALSE(tag_filter_values(tags, "vpc-id").has_value());
}

TEST_CASE("matches_filters ORs the values of one filter and ANDs the filters") {
  auto values_of = [](std::string_view name) -> std::optional<Values> {
    if (name == "a") return Values{"1", "2"};
    if (name == "b") return Values{"x"};
    return std::nullopt;
  };
  CHECK(matches_filters({{"a", {"3", "2"}}}, values_of));
  CHECK(matches_filters({{"a", {"1"}}, {"b", {"x"}}}, values_of));
  CHECK_FALSE(matches_filters({{"a", {"1"}}, {"b", {"y"}}}, values_of));
  CHECK_FALSE(matches_filters({{"a", {}}}, values_of));
  CHECK(matches_filters({}, values_of));
}

TEST_CASE("page tokens round-trip and foreign tokens are rejected") {
  for (size_t n : {size_t{0}, size_t{5}, size_t{123456}}) {
    CAPTURE(n);
    CHECK(decode_page_token(encode_page_token(n)) == n);
  }
  for (const char* bad :
       {"", "abc", "eyJ2IjoiMyJ9", "!!!!", "ZWMycmstc2ltOg==", "ZWMycmstc2ltOng="}) {
    CAPTURE(bad);
    CHECK_FALSE(decode_page_token(bad).has_value());
  }
}

TEST_CASE("paginate slices by MaxResults and hands out a token until the last page") {
  PageRequest req{5, 100, false, false};
  Page page;
  CHECK_FALSE(paginate(form("MaxResults=5"), 12, req, &page));
  CHECK(page.begin == 0);
  CHECK(page.end == 5);
  REQUIRE_FALSE(page.next_token.empty());
  std::string token = page.next_token;
  CHECK_FALSE(paginate(form("MaxResults=5&NextToken=" + token), 12, req, &page));
  CHECK(page.begin == 5);
  CHECK(page.end == 10);
  CHECK_FALSE(paginate(form("MaxResults=5&NextToken=" + page.next_token), 12, req, &page));
  CHECK(page.begin == 10);
  CHECK(page.end == 12);
  CHECK(page.next_token.empty());
}

TEST_CASE("paginate without MaxResults returns everything") {
  Page page;
  CHECK_FALSE(paginate(form(""), 7, PageRequest{}, &page));
  CHECK(page.begin == 0);
  CHECK(page.end == 7);
  CHECK(page.next_token.empty());
}

TEST_CASE(
    "paginate rejects MaxResults out of range, garbage tokens and MaxResults with ids where EC2 "
    "does") {
  Page page;
  PageRequest rt{5, 100, false, false};
  for (const char* max : {"4", "101", "0", "-5", "five", ""}) {
    CAPTURE(max);
    Ec2Error e = paginate(form(std::string("MaxResults=") + max), 10, rt, &page);
    CHECK(e.code == "InvalidParameterValue");
    CHECK(e.status == 400);
  }
  CHECK(paginate(form("NextToken=bogus"), 10, rt, &page).code == "InvalidPaginationToken");
  CHECK(paginate(form("NextToken=" + encode_page_token(11)), 10, rt, &page).code ==
        "InvalidPaginationToken");
  PageRequest eni{5, 1000, true, true};
  CHECK(paginate(form("MaxResults=5"), 10, eni, &page).code == "InvalidParameterCombination");
}
