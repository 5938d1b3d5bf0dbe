#include "tests/docs/docs_sync.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

// Section rules: where each kind of document must mention a subcommand or flag.
//
//   ec2rk(1)      global flags: the ".SH GLOBAL OPTIONS" section;
//                 subcommand C: a ".SS C" section, whose text names C's flags.
//                 Flags are written \-\-name (font escapes are ignored).
//   bash          global flags: the global_opts= / root_opts= assignments;
//                 subcommand C: in commands="..." and a "C)" arm of the
//                 `case $cmd in` block, whose text names C's flags.
//   zsh           global flags: from "global_opts=(" to "case $state in";
//                 subcommand C: a 'C:description' entry and a "(C)" arm.
//   fish          flags are "-l name"; global flags: `complete` lines without a
//                 __ec2rk_using condition; subcommand C: a
//                 "__ec2rk_needs_command -a C" line and lines whose
//                 '__ec2rk_using ...' condition lists C.
//
// A subcommand's flag may also be found in the global section (--help is).

namespace ec2rk::docs {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in{std::string(text)};
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// `word` occurs in `text` with no word character (letters, digits, - and _) on
// either side.
bool has_token(std::string_view text, std::string_view word) {
  for (size_t pos = text.find(word); pos != std::string_view::npos;
       pos = text.find(word, pos + 1)) {
    bool left = pos == 0 || !is_word_char(text[pos - 1]);
    size_t end = pos + word.size();
    bool right = end == text.size() || !is_word_char(text[end]);
    if (left && right) return true;
  }
  return false;
}

// roff as text: "\-" is "-", font changes and zero-width escapes vanish.
std::string unroff(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    char next = text[i + 1];
    if (next == '-') {
      out += '-';
      ++i;
    } else if (next == '&') {
      ++i;
    } else if (next == 'f' && i + 2 < text.size()) {
      i += (text[i + 2] == '(') ? 4 : 2;  // \fB or \f(CW
    } else {
      out += text[i];
    }
  }
  return out;
}

// The long flag names a text lists, in the document kind's notation.
std::set<std::string> flags_in(DocKind kind, std::string_view text) {
  std::set<std::string> out;
  std::string_view marker = kind == DocKind::kFish ? "-l " : "--";
  for (size_t pos = text.find(marker); pos != std::string_view::npos;
       pos = text.find(marker, pos + 1)) {
    if (pos > 0 && is_word_char(text[pos - 1])) continue;
    size_t b = pos + marker.size();
    if (b >= text.size() || !(text[b] >= 'a' && text[b] <= 'z')) continue;
    size_t e = b;
    while (e < text.size() && is_word_char(text[e])) ++e;
    out.insert(std::string(text.substr(b, e - b)));
  }
  return out;
}

// The text of the global section, per the rules above.
std::string global_section(const Doc& doc) {
  std::string out;
  auto lines = lines_of(doc.kind == DocKind::kMan ? unroff(doc.text) : doc.text);
  switch (doc.kind) {
    case DocKind::kMan: {
      bool in = false;
      for (const auto& l : lines) {
        if (starts_with(l, ".SH")) {
          std::string title = trim(std::string_view(l).substr(3));
          title.erase(std::remove(title.begin(), title.end(), '"'), title.end());
          in = title == "GLOBAL OPTIONS";
          continue;
        }
        if (in) out += l + "\n";
      }
      break;
    }
    case DocKind::kBash:
      for (const auto& l : lines) {
        std::string t = trim(l);
        if (starts_with(t, "local global_opts=") || starts_with(t, "global_opts=") ||
            starts_with(t, "local root_opts=") || starts_with(t, "root_opts=")) {
          out += t + "\n";
        }
      }
      break;
    case DocKind::kZsh: {
      bool in = false;
      for (const auto& l : lines) {
        if (l.find("global_opts=(") != std::string::npos) in = true;
        if (l.find("case $state in") != std::string::npos) in = false;
        if (in) out += l + "\n";
      }
      break;
    }
    case DocKind::kFish:
      for (const auto& l : lines) {
        std::string t = trim(l);
        if (starts_with(t, "complete ") && t.find("__ec2rk_using") == std::string::npos) {
          out += t + "\n";
        }
      }
      break;
  }
  return out;
}

// The text of subcommand `name`'s section, or nullopt when the document does not
// list the subcommand.
std::optional<std::string> command_section(const Doc& doc, const std::string& name) {
  std::string text = doc.kind == DocKind::kMan ? unroff(doc.text) : doc.text;
  auto lines = lines_of(text);
  std::string out;
  switch (doc.kind) {
    case DocKind::kMan: {
      bool found = false, in = false;
      for (const auto& l : lines) {
        if (starts_with(l, ".SS") || starts_with(l, ".SH")) {
          std::string title = trim(std::string_view(l).substr(3));
          title.erase(std::remove(title.begin(), title.end(), '"'), title.end());
          if (starts_with(title, "ec2rk ")) title = trim(std::string_view(title).substr(6));
          in = starts_with(l, ".SS") && (title == name || starts_with(title, name + " "));
          found = found || in;
          continue;
        }
        if (in) out += l + "\n";
      }
      if (!found) return std::nullopt;
      return out;
    }
    case DocKind::kBash: {
      bool listed = false, in_case = false, in = false, found = false;
      for (const auto& l : lines) {
        std::string t = trim(l);
        if (starts_with(t, "local commands=\"") || starts_with(t, "commands=\"")) {
          listed = listed || has_token(t.substr(t.find('"')), name);
        }
        if (t.find("case $cmd in") != std::string::npos) in_case = true;
        if (!in_case) continue;
        if (!in && (t == name + ")" || starts_with(t, name + ")"))) {
          in = found = true;
          out += t.substr(name.size() + 1) + "\n";
          continue;
        }
        if (in) {
          if (t.find(";;") != std::string::npos) {
            out += t.substr(0, t.find(";;")) + "\n";
            in = false;
            in_case = false;  // only the first arm for the name counts
          } else {
            out += t + "\n";
          }
        }
      }
      if (!listed || !found) return std::nullopt;
      return out;
    }
    case DocKind::kZsh: {
      bool listed = false, in = false, found = false;
      for (const auto& l : lines) {
        std::string t = trim(l);
        if (starts_with(t, "'" + name + ":")) listed = true;
        if (!in && t == "(" + name + ")") {
          in = found = true;
          continue;
        }
        if (in) {
          if (t == ";;") {
            in = false;
          } else {
            out += t + "\n";
          }
        }
      }
      if (!listed || !found) return std::nullopt;
      return out;
    }
    case DocKind::kFish: {
      bool listed = false;
      for (const auto& l : lines) {
        std::string t = trim(l);
        if (!starts_with(t, "complete ")) continue;
        size_t nc = t.find("__ec2rk_needs_command -a ");
        if (nc != std::string::npos) {
          std::string rest = t.substr(nc + 25);
          if (rest.substr(0, rest.find(' ')) == name) listed = true;
        }
        size_t u = t.find("'__ec2rk_using ");
        if (u == std::string::npos) continue;
        size_t e = t.find('\'', u + 1);
        std::string cond =
            t.substr(u + 15, e == std::string::npos ? std::string::npos : e - u - 15);
        if (has_token(cond, name)) out += t + "\n";
      }
      if (!listed) return std::nullopt;
      return out;
    }
  }
  return std::nullopt;
}

std::string show_flag(const CommandFlags& c, const std::string& flag) {
  return (c.name.empty() ? std::string("global flag") : c.name) + " --" + flag;
}

void collect_options(const CLI::App& app, std::vector<std::string>& out) {
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;  // hidden
    for (const std::string& l : o->get_lnames()) out.push_back(l);
  }
  // Option groups are nameless subcommands; their options are the parent's.
  for (const CLI::App* g :
       app.get_subcommands([](const CLI::App* s) { return s->get_name().empty(); })) {
    collect_options(*g, out);
  }
}

}  // namespace

std::vector<CommandFlags> walk(const CLI::App& root) {
  std::vector<CommandFlags> out;
  CommandFlags top;
  collect_options(root, top.long_flags);
  out.push_back(std::move(top));
  for (const CLI::App* sub : root.get_subcommands(
           [](const CLI::App* s) { return !s->get_name().empty() && !s->get_group().empty(); })) {
    CommandFlags c;
    c.name = sub->get_name();
    collect_options(*sub, c.long_flags);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> find_undocumented(const std::vector<CommandFlags>& tree,
                                           const std::vector<Doc>& docs) {
  std::vector<std::string> problems;
  for (const Doc& doc : docs) {
    std::set<std::string> global = flags_in(doc.kind, global_section(doc));
    for (const CommandFlags& c : tree) {
      std::set<std::string> here = global;
      if (!c.name.empty()) {
        std::optional<std::string> section = command_section(doc, c.name);
        if (!section) {
          problems.push_back(doc.name + ": subcommand '" + c.name + "' is missing");
          continue;
        }
        here.merge(flags_in(doc.kind, *section));
      }
      for (const std::string& f : c.long_flags) {
        if (!here.count(f))
          problems.push_back(doc.name + ": " + show_flag(c, f) + " is not documented");
      }
    }
  }
  return problems;
}

std::vector<std::string> find_stale(const std::vector<CommandFlags>& tree,
                                    const std::vector<Doc>& docs) {
  std::vector<std::string> problems;
  std::set<std::string> root_flags;
  if (!tree.empty()) root_flags.insert(tree[0].long_flags.begin(), tree[0].long_flags.end());
  for (const Doc& doc : docs) {
    for (const std::string& f : flags_in(doc.kind, global_section(doc))) {
      if (!root_flags.count(f)) {
        problems.push_back(doc.name + ": global flag --" + f +
                           " is listed but ec2rk has no such flag");
      }
    }
    for (const CommandFlags& c : tree) {
      if (c.name.empty()) continue;
      std::optional<std::string> section = command_section(doc, c.name);
      if (!section) continue;
      for (const std::string& f : flags_in(doc.kind, *section)) {
        bool known = root_flags.count(f) ||
                     std::find(c.long_flags.begin(), c.long_flags.end(), f) != c.long_flags.end();
        if (!known) {
          problems.push_back(doc.name + ": " + show_flag(c, f) +
                             " is listed but ec2rk has no such flag");
        }
      }
    }
  }
  return problems;
}


}  // namespace ec2rk::docs
