#include "ec2api/retry.h"

#include <doctest/doctest.h>

#include "ec2api/timefmt.h"

namespace ec2rk::ec2api {
namespace {

using namespace std::chrono_literals;

Error err(ErrorKind kind, int status, std::string code) {
  Error e;
  e.kind = kind;
  e.http_status = status;
  e.aws_code = std::move(code);
  return e;
}

TEST_CASE("retry classification follows the kind, status and code, never the message") {
  struct Case {
    Error e;
    RetryClass expected;
  };
  const Case cases[] = {
      {err(ErrorKind::kThrottled, 503, "RequestLimitExceeded"), RetryClass::kThrottle},
      {err(ErrorKind::kServer, 500, "InternalError"), RetryClass::kTransient},
      {err(ErrorKind::kServer, 503, "Unavailable"), RetryClass::kTransient},
      {err(ErrorKind::kServer, 504, ""), RetryClass::kTransient},
      {err(ErrorKind::kService, 400, "RequestTimeout"), RetryClass::kTransient},
      {err(ErrorKind::kService, 400, "PriorRequestNotComplete"), RetryClass::kTransient},
      {err(ErrorKind::kNetwork, 0, ""), RetryClass::kTransient},
      {err(ErrorKind::kTimeout, 0, ""), RetryClass::kTimeout},
      {err(ErrorKind::kService, 401, "AuthFailure"), RetryClass::kNone},
      {err(ErrorKind::kService, 400, "InvalidParameterValue"), RetryClass::kNone},
      {err(ErrorKind::kService, 403, "UnauthorizedOperation"), RetryClass::kNone},
      {err(ErrorKind::kService, 412, "DryRunOperation"), RetryClass::kNone},
      {err(ErrorKind::kParse, 200, ""), RetryClass::kNone},
      {err(ErrorKind::kCredentials, 0, ""), RetryClass::kNone},
      {err(ErrorKind::kTls, 0, ""), RetryClass::kNone},  // an untrusted certificate stays so
  };
  for (const Case& c : cases) {
    CAPTURE(c.e.aws_code);
    CAPTURE(c.e.http_status);
    CHECK(classify_for_retry(c.e) == c.expected);
  }
}

TEST_CASE("full-jitter backoff doubles from 1 s and is capped") {
  CHECK(backoff_delay(1, 0.5, 20s) == 500ms);
  CHECK(backoff_delay(2, 0.5, 20s) == 1000ms);
  CHECK(backoff_delay(3, 0.5, 20s) == 2000ms);
  CHECK(backoff_delay(5, 1.0, 20s) == 16000ms);
  CHECK(backoff_delay(6, 1.0, 20s) == 20000ms);
  CHECK(backoff_delay(200, 0.999, 20s) == 19980ms);
  CHECK(backoff_delay(1, 0.0, 20s) == 0ms);
  CHECK(backoff_delay(0, 0.5, 20s) == 500ms);  // nonsense input is clamped
  CHECK(backoff_delay(3, 2.0, 20s) == 4000ms);
}

TEST_CASE("the retry quota charges 5 per retry and 10 per timeout, and refunds on success") {
  RetryQuota q;
  CHECK(q.available() == 500);
  CHECK(q.acquire(RetryClass::kThrottle) == 5);
  CHECK(q.acquire(RetryClass::kTimeout) == 10);
  CHECK(q.available() == 485);
  q.on_success(10);
  CHECK(q.available() == 495);
  q.on_success(0);
  CHECK(q.available() == 496);
  for (int i = 0; i < 10; ++i) q.on_success(0);
  CHECK(q.available() == 500);  // never above capacity
  int retries = 0;
  while (q.acquire(RetryClass::kTransient) != 0) ++retries;
  CHECK(retries == 100);
  CHECK(q.available() == 0);
}

TEST_CASE("skew and credentials codes") {
  CHECK(is_clock_skew_code("AuthFailure"));
  CHECK(is_clock_skew_code("SignatureDoesNotMatch"));
  CHECK(is_clock_skew_code("RequestExpired"));
  CHECK_FALSE(is_clock_skew_code("UnauthorizedOperation"));
  CHECK(is_credentials_code("ExpiredToken"));
  CHECK_FALSE(is_credentials_code("InvalidParameterValue"));
}

TEST_CASE("HTTP dates and ISO 8601 times parse, and malformed ones do not") {
  CHECK(parse_http_date("Thu, 02 Jan 2025 03:04:05 GMT") == 1735787045);
  CHECK(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT") == 1709164800);
  for (const char* bad : {"", "Thu, 02 Jan 2025 03:04:05", "Thu, 32 Jan 2025 03:04:05 GMT",
                          "Thu, 02 Foo 2025 03:04:05 GMT", "Thu, 29 Feb 2023 00:00:00 GMT",
                          "Thu, 02 Jan 2025 24:04:05 GMT", "Thu, 02 Jan 2025 03:04:05 UTC"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_http_date(bad).has_value());
  }
  CHECK(parse_iso8601("2025-01-02T03:04:05Z") == 1735787045);
  CHECK(parse_iso8601("2025-01-02T03:04:05.123Z") == 1735787045);
  CHECK(parse_iso8601("2025-01-02T05:04:05+02:00") == 1735787045);
  CHECK(parse_iso8601("1970-01-01T00:00:00Z") == 0);
  for (const char* bad : {"", "2025-01-02", "2025-01-02T03:04:05", "2025-13-02T03:04:05Z",
                          "2025-01-02T03:04:05Zjunk", "2025-01-02T03:04:05.Z", "2025-01-02 03:04:05Z",
                          "2025-01-02T03:04:05+2:00"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_iso8601(bad).has_value());
  }
}

}  // namespace
}  // namespace ec2rk::ec2api
