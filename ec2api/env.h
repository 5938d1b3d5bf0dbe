// Process environment as a seam: every getenv goes through this so tests can
// swap in a map.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace ec2rk::ec2api {

class Environment {
 public:
  virtual ~Environment() = default;
  // The variable's value, or nullopt when unset. An empty value counts as set.
  virtual std::optional<std::string> get(const std::string& name) const = 0;
  std::string get_or(const std::string& name, std::string fallback) const {
    auto v = get(name);
    return v ? *v : fallback;
  }
};

// The real process environment.
const Environment& process_environment();

class MapEnvironment : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
  std::optional<std::string> get(const std::string& name) const override {
    auto it = vars_.find(name);
    if (it == vars_.end()) return std::nullopt;
    return it->second;
  }
  void set(const std::string& name, std::string value) { vars_[name] = std::move(value); }

 private:
  std::map<std::string, std::string> vars_;
};

}  // namespace ec2rk::ec2api
