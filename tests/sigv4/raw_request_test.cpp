// The test-side parser of the suites' raw HTTP request text.
#include "tests/sigv4/raw_request.h"

#include <doctest/doctest.h>

namespace ec2rk::sigv4::testing {

TEST_CASE("a request line splits at the first space and the last \" HTTP/\"") {
  RawParse p = parse_raw_request("GET /example space/?a=b c HTTP/1.1\nHost:example.amazonaws.com");
  REQUIRE(p.request.has_value());
  CHECK(p.request->method == "GET");
  CHECK(p.request->target == "/example space/?a=b c");
  REQUIRE(p.request->headers.size() == 1);
  CHECK(p.request->headers[0].name == "Host");
  CHECK(p.request->headers[0].value == "example.amazonaws.com");
  CHECK(p.request->body.empty());

  RawParse odd = parse_raw_request("GET /a HTTP/1.0 b HTTP/1.1\nHost:h\n");
  REQUIRE(odd.request.has_value());
  CHECK(odd.request->target == "/a HTTP/1.0 b");
}

TEST_CASE("header values stay raw and continuation lines join the previous header") {
  RawParse p =
      parse_raw_request("GET / HTTP/1.1\nHost:h\nMy-Header1: value1\nMy-Header2:a\n  b\n\tc\nX:\n");
  REQUIRE(p.request.has_value());
  REQUIRE(p.request->headers.size() == 4);
  CHECK(p.request->headers[1].value == " value1");
  CHECK(p.request->headers[2].value == "a\n  b\n\tc");
  CHECK(p.request->headers[3].name == "X");
  CHECK(p.request->headers[3].value == "");
}

TEST_CASE("an empty line ends the headers and the rest is the body byte for byte") {
  RawParse p = parse_raw_request("POST / HTTP/1.1\nHost:h\n\nParam1=value1\n\nmore");
  REQUIRE(p.request.has_value());
  CHECK(p.request->body == "Param1=value1\n\nmore");
  RawParse empty_body = parse_raw_request("POST / HTTP/1.1\nHost:h\n\n");
  REQUIRE(empty_body.request.has_value());
  CHECK(empty_body.request->body.empty());
}

TEST_CASE("CRLF line ends parse like LF") {
  RawParse p = parse_raw_request("GET /x HTTP/1.1\r\nHost:h\r\nA:b\r\n\r\nbody");
  REQUIRE(p.request.has_value());
  CHECK(p.request->target == "/x");
  CHECK(p.request->headers[1].value == "b");
  CHECK(p.request->body == "body");
}

TEST_CASE("to_raw_request writes text that parses back to the same request") {
  Request r{"POST", "/a b?c=d", {{"Host", "h"}, {"Authorization", "AWS4-HMAC-SHA256 x"}}, "a=b"};
  RawParse p = parse_raw_request(to_raw_request(r));
  REQUIRE(p.request.has_value());
  CHECK(p.request->method == r.method);
  CHECK(p.request->target == r.target);
  CHECK(p.request->headers.size() == 2);
  CHECK(p.request->headers[1].value == r.headers[1].value);
  CHECK(p.request->body == r.body);
}

TEST_CASE("malformed request text is rejected with a reason") {
  for (const char* bad :
       {"", "\nHost:h", "GET\nHost:h", "GET / HTTP1.1\nHost:h", " / HTTP/1.1\nHost:h",
        "GET  HTTP/1.1\nHost:h", "GET HTTP/1.1\nHost:h", "GET / HTTP/1.1\nHost h",
        "GET / HTTP/1.1\n:value", "GET / HTTP/1.1\n  folded-first\nHost:h"}) {
    CAPTURE(bad);
    RawParse p = parse_raw_request(bad);
    CHECK_FALSE(p.request.has_value());
    CHECK_FALSE(p.error.empty());
  }
}

}  // namespace ec2rk::sigv4::testing
