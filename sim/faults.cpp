#include "sim/faults.h"

#include <algorithm>
#include <cctype>

namespace ec2rk::sim {
namespace {

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.')) return std::nullopt;
  }
  try {
    size_t used = 0;
    double v = std::stod(std::string(s), &used);
    if (used != s.size()) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

TokenBucket::TokenBucket(BucketSpec spec, int64_t now_ms)
    : spec_(spec), tokens_(spec.burst), last_ms_(now_ms) {}

void TokenBucket::refill(int64_t now_ms) {
  if (now_ms > last_ms_) {
    tokens_ = std::min(
        spec_.burst, tokens_ + spec_.rate_per_s * static_cast<double>(now_ms - last_ms_) / 1000.0);
    last_ms_ = now_ms;
  }
}

bool TokenBucket::try_take(int64_t now_ms) {
  refill(now_ms);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

double TokenBucket::tokens(int64_t now_ms) {
  refill(now_ms);
  return tokens_;
}

std::optional<ThrottleConfig> parse_throttle(std::string_view text) {
  ThrottleConfig c;
  if (text == "default") return c;
  if (text == "off") {
    c.mode = ThrottleMode::kOff;
    return c;
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto burst = parse_number(text.substr(0, colon));
  auto rate = parse_number(text.substr(colon + 1));
  if (!burst || !rate || *burst < 1) return std::nullopt;
  c.mode = ThrottleMode::kUniform;
  c.uniform = {*burst, *rate};
  return c;
}

BucketSpec ec2_bucket(std::string_view action, bool mutating, const Params& params,
                      std::string* key) {
  *key = std::string(action);
  if (action == "ModifyNetworkInterfaceAttribute") return {100, 5};
  if (mutating) return {50, 5};
  if ((action == "DescribeInstances" || action == "DescribeNetworkInterfaces") &&
      params.filters().empty() && !params.has("MaxResults")) {
    *key += "#unfiltered";
    return {50, 10};
  }
  return {100, 20};
}

bool Throttle::allow(std::string_view action, bool mutating, const Params& params) {
  if (config_.mode == ThrottleMode::kOff) return true;
  std::string key;
  BucketSpec spec = ec2_bucket(action, mutating, params, &key);
  if (config_.mode == ThrottleMode::kUniform) {
    spec = config_.uniform;
    key = std::string(action);
  }
  int64_t now = clock_.now_ms();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) it = buckets_.emplace(key, TokenBucket(spec, now)).first;
  return it->second.try_take(now);
}

void Throttle::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  buckets_.clear();
}

std::optional<FailRule> parse_fail_rule(std::string_view text) {
  FailRule rule;
  size_t colon = text.find(':');
  rule.action = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) rule.resource_id = std::string(text.substr(colon + 1));
  auto valid_action = [](const std::string& a) {
    return !a.empty() && a[0] >= 'A' && a[0] <= 'Z' && std::all_of(a.begin(), a.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c));
    });
  };
  if (!valid_action(rule.action)) return std::nullopt;
  if (colon != std::string_view::npos && rule.resource_id.empty()) return std::nullopt;
  return rule;
}

const FailRule* match_fail_rule(const std::vector<FailRule>& rules, std::string_view action,
                                const Params& params) {
  for (const auto& rule : rules) {
    if (rule.action != action) continue;
    if (rule.resource_id.empty()) return &rule;
    for (const auto& [name, value] : params.all()) {
      if (value == rule.resource_id) return &rule;
    }
  }
  return nullptr;
}

bool Dice::roll(double probability) {
  if (probability <= 0) return false;
  if (probability >= 1) return true;
  std::lock_guard<std::mutex> lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < probability;
}

int Dice::pick(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng_));
}

}  // namespace ec2rk::sim
