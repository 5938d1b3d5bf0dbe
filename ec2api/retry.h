// The SDKs' "standard" retry mode as pure pieces: which errors are retried, the
// full-jitter backoff, and the client-wide retry quota (token bucket 500/5/10/1).
// Source: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html,
// botocore retries/standard.py and retries/quota.py.
#pragma once

#include <chrono>
#include <string_view>

#include "ec2api/result.h"

namespace ec2rk::ec2api {

enum class RetryClass {
  kNone,       // not retried: a client error, or not an EC2 answer at all
  kTransient,  // network failure, 5xx, RequestTimeout codes
  kThrottle,   // RequestLimitExceeded and the other throttling codes
  kTimeout,    // the request itself timed out (costs more quota)
};

// Decides from the Error's kind, HTTP status and code only (never from message text).
// Transport errors: kNetwork -> kTransient, kTimeout -> kTimeout. kThrottled -> kThrottle.
// HTTP 5xx and the codes RequestTimeout, RequestTimeoutException and
// PriorRequestNotComplete -> kTransient. Everything else -> kNone.
RetryClass classify_for_retry(const Error& e);

// Codes with which a server reports a request signed with a skewed clock
// (AuthFailure on EC2, SignatureDoesNotMatch, RequestExpired, RequestTimeTooSkewed,
// InvalidSignatureException). They mean skew only when the server's Date disagrees.
bool is_clock_skew_code(std::string_view code);

// Codes after which refreshed (temporary) credentials may succeed.
bool is_credentials_code(std::string_view code);

// Full jitter: random01 * min(1 s * 2^(failed_attempt - 1), max_backoff), where
// failed_attempt is the 1-based number of the attempt that just failed and random01
// is in [0, 1). Never negative, never above max_backoff.
std::chrono::milliseconds backoff_delay(int failed_attempt, double random01,
                                        std::chrono::milliseconds max_backoff);

// The client-wide retry token bucket. Not thread-safe (owned by one client).
class RetryQuota {
 public:
  static constexpr int kCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutCost = 10;
  static constexpr int kNoRetryRefund = 1;

  // Takes the cost of one retry of class `c` (kTimeout costs kTimeoutCost); returns the
  // cost taken, or 0 when the bucket cannot pay (then the caller must not retry).
  int acquire(RetryClass c);
  // After a successful call: returns `cost_paid` (the cost of the retry that succeeded),
  // or kNoRetryRefund when the call succeeded without a retry. Never above kCapacity.
  void on_success(int cost_paid);
  int available() const { return available_; }

 private:
  int available_ = kCapacity;
};

}  // namespace ec2rk::ec2api
