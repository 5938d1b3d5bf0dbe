// Terminal and colour policy, in one place: colour only on a terminal, never
// with NO_COLOR, always with CLICOLOR_FORCE, never for TERM=dumb. Tables are
// aligned with a header on a terminal and tab-separated without one when piped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ec2api/env.h"

namespace ec2rk::cli {

// https://no-color.org/ and https://bixense.com/clicolors/.
bool use_color(bool is_tty, const ec2api::Environment& env);

enum class Color { kNone, kRed, kGreen, kYellow, kBold, kDim };

// `text` wrapped in the ANSI sequence for `c` when `on`, else `text` unchanged.
std::string paint(bool on, Color c, std::string_view text);

struct Cell {
  std::string text;
  Color color = Color::kNone;
  Cell(std::string t = {}, Color c = Color::kNone) : text(std::move(t)), color(c) {}
  Cell(const char* t, Color c = Color::kNone) : text(t), color(c) {}
};

// A table of rows. On a terminal: upper-case header, columns padded to width,
// two spaces apart, colour when allowed. Piped: no header, tab-separated, no
// colour, empty cells as "-" so every row has the same columns for cut/awk.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add(std::vector<Cell> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  std::string render(bool tty, bool color, std::string_view indent = "") const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace ec2rk::cli
