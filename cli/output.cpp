#include "cli/output.h"

#include <ostream>
#include <string>

namespace ec2rk::cli {
namespace {

// Error text can quote what a server or instance metadata said: no control characters
// (terminal escape sequences) reach the terminal; each becomes '?'. Newlines stay.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) c = '?';
  }
  return out;
}

}  // namespace

void print_error(const Io& io, const Error& e) {
  *io.err << "ec2rk: error: " << printable(e.describe()) << "\n";
}

void print_error(const Io& io, std::string_view message) {
  *io.err << "ec2rk: error: " << printable(message) << "\n";
}

}  // namespace ec2rk::cli
