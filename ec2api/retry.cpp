#include "ec2api/retry.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ec2rk::ec2api {

RetryClass classify_for_retry(const Error& e) {
  switch (e.kind) {
    case ErrorKind::kNetwork: return RetryClass::kTransient;
    case ErrorKind::kTimeout: return RetryClass::kTimeout;
    case ErrorKind::kThrottled: return RetryClass::kThrottle;
    default: break;
  }
  if (e.http_status >= 500 && e.http_status <= 599) return RetryClass::kTransient;
  static constexpr std::array<std::string_view, 3> kTransientCodes = {
      "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"};
  for (std::string_view c : kTransientCodes) {
    if (e.aws_code == c) return RetryClass::kTransient;
  }
  return RetryClass::kNone;
}

bool is_clock_skew_code(std::string_view code) {
  static constexpr std::array<std::string_view, 5> kCodes = {
      "AuthFailure", "SignatureDoesNotMatch", "RequestExpired", "RequestTimeTooSkewed",
      "InvalidSignatureException"};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

bool is_credentials_code(std::string_view code) {
  static constexpr std::array<std::string_view, 5> kCodes = {
      "AuthFailure", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId",
      "RequestExpired"};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

std::chrono::milliseconds backoff_delay(int failed_attempt, double random01,
                                        std::chrono::milliseconds max_backoff) {
  if (failed_attempt < 1) failed_attempt = 1;
  random01 = std::clamp(random01, 0.0, 1.0);
  // 2^(n-1) seconds, computed in double so a large n cannot overflow before the cap.
  double base_ms = std::min(1000.0 * std::pow(2.0, failed_attempt - 1),
                            static_cast<double>(max_backoff.count()));
  auto ms = static_cast<int64_t>(random01 * base_ms);
  return std::chrono::milliseconds(std::clamp<int64_t>(ms, 0, max_backoff.count()));
}

int RetryQuota::acquire(RetryClass c) {
  int cost = c == RetryClass::kTimeout ? kTimeoutCost : kRetryCost;
  if (available_ < cost) return 0;
  available_ -= cost;
  return cost;
}

void RetryQuota::on_success(int cost_paid) {
  available_ = std::min(kCapacity, available_ + (cost_paid > 0 ? cost_paid : kNoRetryRefund));
}

}  // namespace ec2rk::ec2api
