#include "cli/terminal.h"

#include <algorithm>

namespace ec2rk::cli {

bool use_color(bool is_tty, const ec2api::Environment& env) {
  if (auto v = env.get("NO_COLOR"); v && !v->empty()) return false;
  if (auto v = env.get("CLICOLOR_FORCE"); v && !v->empty() && *v != "0") return true;
  if (env.get_or("TERM", "") == "dumb") return false;
  return is_tty;
}

std::string paint(bool on, Color c, std::string_view text) {
  if (!on || c == Color::kNone) return std::string(text);
  const char* code = "";
  switch (c) {
    case Color::kRed: code = "31"; break;
    case Color::kGreen: code = "32"; break;
    case Color::kYellow: code = "33"; break;
    case Color::kBold: code = "1"; break;
    case Color::kDim: code = "2"; break;
    case Color::kNone: break;
  }
  return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
}

std::string Table::render(bool tty, bool color, std::string_view indent) const {
  std::string out;
  if (!tty) {
    for (const auto& row : rows_) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) out += '\t';
        out += row[i].text.empty() ? "-" : row[i].text;
      }
      out += '\n';
    }
    return out;
  }
  std::vector<size_t> width(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i) width[i] = headers_[i].size();
  for (const auto& row : rows_)
    for (size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].text.size());
  auto line = [&](const std::vector<Cell>& cells) {
    std::string s(indent);
    for (size_t i = 0; i < cells.size(); ++i) {
      const bool last = i + 1 == cells.size();
      std::string text = cells[i].text.empty() ? "-" : cells[i].text;
      size_t pad = last ? 0 : width[i] - std::min(width[i], text.size()) + 2;
      s += paint(color, cells[i].color, text) + std::string(pad, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::vector<Cell> header;
  for (const auto& h : headers_) header.push_back(Cell(h, Color::kBold));
  out += line(header);
  for (const auto& row : rows_) out += line(row);
  return out;
}

}  // namespace ec2rk::cli
