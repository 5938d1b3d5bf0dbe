// The AWS shared config/credentials file format, read as botocore reads it
// (Python configparser + botocore's nested sections): [section] headers, key = value
// or key: value, full-line comments (# ;), no inline comments, indented continuation
// lines, and "key =" followed by indented "sub = value" lines as a nested section.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ec2api/result.h"

namespace ec2rk::ec2api {

struct IniValue {
  std::string value;                          // continuation lines joined with '\n'
  std::map<std::string, std::string> nested;  // set when the value was a nested section
  bool is_nested = false;
  int line = 0;
};

struct IniSection {
  std::string name;                      // the header's text, trimmed ("profile prod")
  std::map<std::string, IniValue> keys;  // keys lower-cased
  int line = 0;

  // The flat value of `key`, or nullopt when absent or nested.
  std::optional<std::string> get(std::string_view key) const;
};

struct IniFile {
  std::string display_path;  // for messages, e.g. "~/.aws/config"
  std::vector<IniSection> sections;

  const IniSection* find(std::string_view name) const;
};

// Parses `text`. kConfig errors read "<display_path>:<line>: <problem>", e.g.
// "~/.aws/config:7: expected 'key = value'"; they never quote values (they may be secret).
Result<IniFile> parse_ini(std::string_view text, const std::string& display_path);

// Reads and parses the file at `path`; nullopt when it does not exist. `warn` is told
// when a regular file is readable by group or others and holds a secret key
// (aws_secret_access_key, aws_session_token or aws_security_token).
Result<std::optional<IniFile>> load_ini_file(const std::string& path, const std::string& display_path,
                                             const std::function<void(std::string_view)>& warn);

}  // namespace ec2rk::ec2api
