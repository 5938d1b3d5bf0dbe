// Fault injection for the EC2 endpoint: EC2's per-action token buckets (or a uniform
// BURST:RATE bucket), random 500/503 errors, dropped connections, fixed latency, stale reads,
// per-action forced failures and a skewed clock. Thread-safe; randomness from one seeded
// generator so a run with --seed N is repeatable (for a given request order).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sim/clock.h"
#include "sim/params.h"

namespace ec2rk::sim {

struct BucketSpec {
  double burst = 0;       // bucket size (tokens available after a pause)
  double rate_per_s = 0;  // refill
};

// A token bucket that starts full. Not thread-safe on its own (Throttle guards it).
class TokenBucket {
 public:
  TokenBucket(BucketSpec spec, int64_t now_ms);
  // Takes one token if there is one (after refilling up to now).
  bool try_take(int64_t now_ms);
  double tokens(int64_t now_ms);  // refills, then reports

 private:
  void refill(int64_t now_ms);
  BucketSpec spec_;
  double tokens_;
  int64_t last_ms_;
};

enum class ThrottleMode { kDefault, kOff, kUniform };
struct ThrottleConfig {
  ThrottleMode mode = ThrottleMode::kDefault;
  BucketSpec uniform;  // kUniform: every action gets its own bucket of this spec
};
// "default" | "off" | "BURST:RATE" (BURST >= 1, RATE >= 0, decimals allowed); nullopt otherwise.
std::optional<ThrottleConfig> parse_throttle(std::string_view text);

// EC2's documented bucket for an action, and the key of the bucket it draws from:
// mutating 50/5; ModifyNetworkInterfaceAttribute 100/5; non-mutating 100/20, except
// DescribeInstances and DescribeNetworkInterfaces without filters or MaxResults: 50/10.
BucketSpec ec2_bucket(std::string_view action, bool mutating, const Params& params,
                      std::string* key);

class Throttle {
 public:
  Throttle(ThrottleConfig config, const Clock& clock) : config_(config), clock_(clock) {}
  // True when the call may proceed (a token was taken).
  bool allow(std::string_view action, bool mutating, const Params& params);
  void reset();  // every bucket full again

 private:
  ThrottleConfig config_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, TokenBucket, std::less<>> buckets_;
};

// --fail ACTION[:RESOURCE_ID]: the call fails when the action matches and (if given) any
// parameter value equals RESOURCE_ID.
struct FailRule {
  std::string action;
  std::string resource_id;
};
std::optional<FailRule> parse_fail_rule(std::string_view text);
const FailRule* match_fail_rule(const std::vector<FailRule>& rules, std::string_view action,
                                const Params& params);

struct FaultConfig {
  int latency_ms = 0;
  ThrottleConfig throttle;
  double error_rate = 0;  // 0..1: 500 InternalError or 503 Unavailable, half each
  double drop_rate = 0;   // 0..1: close the connection without a response
  int stale_ms = 0;       // reads within this many ms of a write see the state before it
  std::vector<FailRule> fail;
  int64_t clock_skew_s = 0;  // the simulator's clock = real clock + skew
  uint64_t seed = 1;
};

// The random draws, one generator under a mutex.
class Dice {
 public:
  explicit Dice(uint64_t seed) : rng_(seed) {}
  bool roll(double probability);  // false for p <= 0, true for p >= 1, without drawing
  int pick(int n);                // 0..n-1

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace ec2rk::sim
