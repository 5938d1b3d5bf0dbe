#include "ec2api/ini.h"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace ec2rk::ec2api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t indent_of(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

}  // namespace

std::optional<std::string> IniSection::get(std::string_view key) const {
  auto it = keys.find(lower(key));
  if (it == keys.end() || it->second.is_nested) return std::nullopt;
  return it->second.value;
}

const IniSection* IniFile::find(std::string_view name) const {
  for (const IniSection& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<IniFile> parse_ini(std::string_view text, const std::string& display_path) {
  IniFile file;
  file.display_path = display_path;
  auto fail = [&](int line, const std::string& problem) {
    return make_error(ErrorKind::kConfig, display_path + ":" + std::to_string(line) + ": " + problem);
  };
  IniSection* section = nullptr;
  IniValue* value = nullptr;  // the option continuation lines extend
  size_t value_indent = 0;
  std::vector<std::string> continuation;  // raw continuation lines of `value`
  std::string value_key;

  // Turns a finished option's continuation lines into its value or nested section.
  auto close_value = [&]() -> std::optional<Error> {
    if (value == nullptr) return std::nullopt;
    if (!continuation.empty()) {
      if (value->value.empty()) {
        value->is_nested = true;
        int n = value->line;
        for (const std::string& raw : continuation) {
          ++n;
          std::string_view l = trim(raw);
          auto eq = l.find('=');
          if (eq == std::string_view::npos) {
            return fail(n, "expected 'key = value' in the nested section '" + value_key + "'");
          }
          value->nested[lower(trim(l.substr(0, eq)))] = std::string(trim(l.substr(eq + 1)));
        }
      } else {
        for (const std::string& raw : continuation) value->value += "\n" + std::string(trim(raw));
      }
    }
    continuation.clear();
    value = nullptr;
    return std::nullopt;
  };

  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // UTF-8 BOM
    std::string_view t = trim(line);
    if (t.empty()) {
      if (end == text.size()) break;
      continue;  // blank lines neither end nor extend a value
    }
    if (t.front() == '#' || t.front() == ';') continue;
    size_t indent = indent_of(line);
    if (value != nullptr && indent > value_indent) {
      continuation.emplace_back(t);
      continue;
    }
    if (auto e = close_value()) return *e;
    if (t.front() == '[') {
      // As configparser: the name runs to the last ']'; text after it is ignored.
      auto close = t.rfind(']');
      if (close == std::string_view::npos || close < 2) return fail(line_no, "expected '[section]'");
      std::string name(trim(t.substr(1, close - 1)));
      if (name.empty()) return fail(line_no, "empty section name");
      for (const IniSection& s : file.sections) {
        if (s.name == name) {
          return fail(line_no, "section [" + name + "] already defined on line " + std::to_string(s.line));
        }
      }
      file.sections.push_back(IniSection{name, {}, line_no});
      section = &file.sections.back();
      continue;
    }
    auto delim = t.find_first_of("=:");
    if (delim == std::string_view::npos || trim(t.substr(0, delim)).empty()) {
      return fail(line_no, "expected 'key = value'");
    }
    if (section == nullptr) return fail(line_no, "'key = value' before any [section]");
    std::string key = lower(trim(t.substr(0, delim)));
    if (section->keys.count(key) != 0) {
      return fail(line_no, "key '" + key + "' already set in [" + section->name + "] on line " +
                               std::to_string(section->keys[key].line));
    }
    IniValue& v = section->keys[key];
    v.value = std::string(trim(t.substr(delim + 1)));
    v.line = line_no;
    value = &v;
    value_key = key;
    value_indent = indent;
    if (end == text.size()) break;
  }
  if (auto e = close_value()) return *e;
  return file;
}

Result<std::optional<IniFile>> load_ini_file(const std::string& path, const std::string& display_path,
                                             const std::function<void(std::string_view)>& warn) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::optional<IniFile>();
  if (S_ISDIR(st.st_mode)) {
    return make_error(ErrorKind::kConfig, display_path + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::kConfig, display_path + ": cannot be read");
  std::ostringstream buf;
  buf << in.rdbuf();
  auto parsed = parse_ini(buf.str(), display_path);
  if (!parsed) return parsed.error();
  // Only a regular file can be chmod'ed for it: AWS_SHARED_CREDENTIALS_FILE=/dev/null is fine.
  if (warn && S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    bool has_secret = false;
    for (const IniSection& s : parsed->sections) {
      for (const auto& [k, v] : s.keys) {
        if (k == "aws_secret_access_key" || k == "aws_session_token" || k == "aws_security_token") {
          has_secret = true;
        }
      }
    }
    if (has_secret) {
      warn(display_path + " is readable by group or others and holds secret keys; "
           "restrict it with: chmod 600 " + display_path);
    }
  }
  return std::optional<IniFile>(std::move(parsed.value()));
}

}  // namespace ec2rk::ec2api
