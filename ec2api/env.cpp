#include "ec2api/env.h"

#include <cstdlib>

namespace ec2rk::ec2api {
namespace {

class ProcessEnvironment : public Environment {
 public:
  std::optional<std::string> get(const std::string& name) const override {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  }
};

}  // namespace

const Environment& process_environment() {
  static const ProcessEnvironment env;
  return env;
}

}  // namespace ec2rk::ec2api
