#include "ec2api/aws_config.h"

#include <cctype>

namespace ec2rk::ec2api {
namespace {

std::optional<std::string> non_empty(const Environment& env, const std::string& name) {
  auto v = env.get(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

// (path to open, path to show) for a file given by `var` or defaulting to ~/.aws/<name>.
std::optional<std::pair<std::string, std::string>> locate(const Environment& env,
                                                          const std::string& var,
                                                          const std::string& name) {
  auto home = non_empty(env, "HOME");
  if (auto v = non_empty(env, var)) {
    if (v->rfind("~/", 0) == 0) {
      if (!home) return std::nullopt;
      return std::make_pair(*home + v->substr(1), *v);
    }
    return std::make_pair(*v, *v);
  }
  if (!home) return std::nullopt;
  return std::make_pair(*home + "/.aws/" + name, "~/.aws/" + name);
}

}  // namespace

std::optional<bool> parse_bool_setting(std::string_view s) {
  std::string l;
  for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (l == "true") return true;
  if (l == "false") return false;
  return std::nullopt;
}

const IniSection* SharedConfig::config_section() const {
  if (!config) return nullptr;
  if (const IniSection* s = config->find("profile " + profile)) return s;
  if (profile == "default") return config->find("default");
  return nullptr;
}

const IniSection* SharedConfig::credentials_section() const {
  return credentials ? credentials->find(profile) : nullptr;
}

std::optional<std::string> SharedConfig::get(std::string_view key) const {
  const IniSection* s = config_section();
  return s ? s->get(key) : std::nullopt;
}

std::optional<std::string> SharedConfig::services_endpoint_url() const {
  auto services = get("services");
  if (!services || !config) return std::nullopt;
  const IniSection* s = config->find("services " + *services);
  if (s == nullptr) return std::nullopt;
  auto it = s->keys.find("ec2");
  if (it == s->keys.end() || !it->second.is_nested) return std::nullopt;
  auto url = it->second.nested.find("endpoint_url");
  if (url == it->second.nested.end()) return std::nullopt;
  return url->second;
}

Result<SharedConfig> load_shared_config(const Environment& env, std::string_view cli_profile,
                                        const WarnSink& warn) {
  SharedConfig sc;
  bool named = true;
  if (!cli_profile.empty()) {
    sc.profile = std::string(cli_profile);
    sc.profile_explicit = true;
  } else if (auto p = non_empty(env, "AWS_PROFILE")) {
    sc.profile = *p;
  } else if (auto d = non_empty(env, "AWS_DEFAULT_PROFILE")) {
    sc.profile = *d;
  } else {
    sc.profile = "default";
    named = false;
  }

  if (auto where = locate(env, "AWS_CONFIG_FILE", "config")) {
    sc.config_display = where->second;
    auto f = load_ini_file(where->first, where->second, warn);
    if (!f) return f.error();
    sc.config = std::move(f.value());
  }
  if (auto where = locate(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")) {
    sc.credentials_display = where->second;
    auto f = load_ini_file(where->first, where->second, warn);
    if (!f) return f.error();
    sc.credentials = std::move(f.value());
  }
  if (named && sc.config_section() == nullptr && sc.credentials_section() == nullptr) {
    std::string where = sc.config_display.empty() ? "~/.aws/config" : sc.config_display;
    where += " or " + (sc.credentials_display.empty() ? "~/.aws/credentials" : sc.credentials_display);
    return make_error(ErrorKind::kConfig, "profile '" + sc.profile + "' is not defined in " + where);
  }
  return sc;
}

}  // namespace ec2rk::ec2api
