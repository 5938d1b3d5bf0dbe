#include "sim/xml_writer.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace ec2rk::sim;

namespace {
std::string fixture(const std::string& name) {
  std::ifstream in(std::string(EC2RK_SHARED_TESTDATA) + "/ec2-xml/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("xml_escape escapes &, < and > and leaves quotes as EC2 does") {
  CHECK(xml_escape("net-ops & sre <a> \"q\" 'x'") == "net-ops &amp; sre &lt;a&gt; \"q\" 'x'");
  CHECK(xml_escape("plain") == "plain");
}

TEST_CASE("a success body is byte for byte the layout of EC2's ReplaceRoute sample") {
  XmlWriter w("ReplaceRoute", "2d434c9d-24dd-428f-977b-199bb64042a3");
  w.leaf("return", true);
  std::string expected = fixture("ReplaceRoute.xml");
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  std::string got = w.finish();
  while (!got.empty() && got.back() == '\n') got.pop_back();
  CHECK(got == expected);
}

TEST_CASE("empty lists and empty values are self-closing elements") {
  XmlWriter w("DescribeRouteTables", "id");
  w.empty("routeTableSet");
  w.leaf("description", "");
  std::string out = w.finish();
  CHECK(out.find("    <routeTableSet/>\n") != std::string::npos);
  CHECK(out.find("    <description/>\n") != std::string::npos);
}

TEST_CASE("nested elements are indented four spaces per level and all closed by finish") {
  XmlWriter w("X", "r");
  w.open("aSet");
  w.open("item");
  w.leaf("n", 7);
  std::string out = w.finish();
  CHECK(out.find("    <aSet>\n        <item>\n            <n>7</n>\n        </item>\n    "
                 "</aSet>\n</XResponse>") != std::string::npos);
}

TEST_CASE("the error envelope matches EC2's fixtures exactly") {
  for (std::string name : {"error-DryRunOperation.xml", "error-RequestLimitExceeded.xml",
                           "error-InvalidParameterValue.xml", "error-AuthFailure.xml",
                           "error-UnauthorizedOperation.xml", "error-SignatureDoesNotMatch.xml"}) {
    CAPTURE(name);
    std::string expected = fixture(name);
    while (!expected.empty() && expected.back() == '\n') expected.pop_back();
    // Rebuild it from its own parts.
    auto field = [&](const std::string& tag) {
      size_t a = expected.find("<" + tag + ">") + tag.size() + 2;
      return expected.substr(a, expected.find("</" + tag + ">") - a);
    };
    std::string message = field("Message");
    // The fixtures hold XML-escaped text; unescape the one entity they use.
    for (size_t p; (p = message.find("&amp;")) != std::string::npos;) message.replace(p, 5, "&");
    CHECK(error_xml(field("Code"), message, field("RequestID")) == expected);
  }
}
