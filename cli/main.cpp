// ec2rk's entry point: everything happens in app.cpp.
#include <string>
#include <vector>

#include "cli/app.h"

int main(int argc, char** argv) {
  auto app = ec2rk::cli::make_default_app();
  return ec2rk::cli::run(app, std::vector<std::string>(argv + 1, argv + argc));
}
