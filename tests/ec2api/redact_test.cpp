#include "ec2api/redact.h"

#include <doctest/doctest.h>

namespace ec2rk::ec2api {
namespace {

TEST_CASE("redact removes signatures, tokens and secret keys but keeps what helps debugging") {
  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE12345WXYZ/20250102/us-east-1/ec2/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
       "Authorization: AWS4-HMAC-SHA256 Credential=****WXYZ/20250102/us-east-1/ec2/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date, Signature=<redacted>"},
      {"authorization: Bearer abcdef", "authorization: <redacted>"},
      {"Authorization: token-for-container", "Authorization: <redacted>"},
      {"X-Amz-Security-Token: IQoJb3JpZ2luX2VjEHUa//+==", "X-Amz-Security-Token: <redacted>"},
      {"x-amz-security-token:abc", "x-amz-security-token:<redacted>"},
      {"GET /?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE12345WXYZ%2F20250102%2Fus-east-1"
       "&X-Amz-Security-Token=tok&X-Amz-Signature=abc123&Action=X",
       "GET /?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=****WXYZ%2F20250102%2Fus-east-1"
       "&X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted>&Action=X"},
      {"X-aws-ec2-metadata-token: AQAEAJ1fake==", "X-aws-ec2-metadata-token: <redacted>"},
      {"X-aws-ec2-metadata-token-ttl-seconds: 21600", "X-aws-ec2-metadata-token-ttl-seconds: 21600"},
      {"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG", "aws_secret_access_key = <redacted>"},
      {"AWS_SESSION_TOKEN=abc def", "AWS_SESSION_TOKEN=<redacted> def"},
      {"aws_security_token=xyz", "aws_security_token=<redacted>"},
      {R"({"Code" : "Success", "AccessKeyId" : "ASIAX", "SecretAccessKey" : "s3cr3t", "Token" : "t0k"})",
       R"({"Code" : "Success", "AccessKeyId" : "ASIAX", "SecretAccessKey" : "<redacted>", "Token" : "<redacted>"})"},
      {"POST https://ec2.us-east-1.amazonaws.com/ DescribeRouteTables attempt 1/3",
       "POST https://ec2.us-east-1.amazonaws.com/ DescribeRouteTables attempt 1/3"},
      {"Action=DescribeRouteTables&Filter.1.Name=route.destination-cidr-block",
       "Action=DescribeRouteTables&Filter.1.Name=route.destination-cidr-block"},
      {"", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(redact(c.input) == c.expected);
  }
}

TEST_CASE("redact with known secrets scrubs them wherever they appear") {
  std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  std::string line = "oops: " + secret + " and again " + secret;
  CHECK(redact(line, {secret}) == "oops: <redacted> and again <redacted>");
  // Short values are not treated as secrets (they would mangle ordinary words).
  CHECK(redact("a true story", {"true"}) == "a true story");
  CHECK(redact("nothing here", {""}) == "nothing here");
}

}  // namespace
}  // namespace ec2rk::ec2api
