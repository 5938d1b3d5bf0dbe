#include "cli/output.h"

#include <ostream>

namespace ec2rk::cli {

void print_error(const Io& io, const Error& e) { *io.err << "ec2rk: error: " << e.describe() << "\n"; }

void print_error(const Io& io, std::string_view message) {
  *io.err << "ec2rk: error: " << message << "\n";
}

}  // namespace ec2rk::cli
