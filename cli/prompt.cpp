#include "cli/prompt.h"

#include <algorithm>
#include <istream>
#include <ostream>

namespace ec2rk::cli {

std::optional<std::string> read_answer(const Io& io) {
  std::string line;
  if (io.in == nullptr || !std::getline(*io.in, line)) return std::nullopt;
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  size_t start = line.find_first_not_of(" \t");
  return start == std::string::npos ? std::string() : line.substr(start);
}

bool confirm(const Io& io, const std::string& question) {
  *io.err << question << " [y/N] " << std::flush;
  auto a = read_answer(io);
  if (!a) {
    *io.err << "\n";
    return false;
  }
  std::string s = *a;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s == "y" || s == "yes";
}

std::optional<std::string> ask(const Io& io, const std::string& question, const std::string& fallback) {
  *io.err << question;
  if (!fallback.empty()) *io.err << " [" << fallback << "]";
  *io.err << ": " << std::flush;
  auto a = read_answer(io);
  if (!a) {
    *io.err << "\n";
    return std::nullopt;
  }
  return a->empty() ? fallback : *a;
}

}  // namespace ec2rk::cli
