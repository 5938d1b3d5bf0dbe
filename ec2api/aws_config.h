// The shared AWS config (~/.aws/config) and credentials (~/.aws/credentials) files,
// resolved for one profile as botocore does: config sections are [default] and
// [profile NAME] (plus [services NAME]); credentials sections are bare [NAME].
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ec2api/env.h"
#include "ec2api/ini.h"
#include "ec2api/result.h"

namespace ec2rk::ec2api {

using WarnSink = std::function<void(std::string_view)>;

struct SharedConfig {
  std::string profile;            // the selected profile name
  bool profile_explicit = false;  // chosen by --profile: env credentials are then ignored
  std::optional<IniFile> config;       // absent when the file does not exist
  std::optional<IniFile> credentials;  // absent when the file does not exist
  std::string config_display;          // "~/.aws/config" or the AWS_CONFIG_FILE value
  std::string credentials_display;

  // The profile's section in each file, or nullptr.
  const IniSection* config_section() const;
  const IniSection* credentials_section() const;
  // A key of the profile's config-file section (e.g. "region"), or nullopt.
  std::optional<std::string> get(std::string_view key) const;
  // endpoint_url under "ec2" in the [services NAME] section the profile names, or nullopt.
  std::optional<std::string> services_endpoint_url() const;
};

// Profile: `cli_profile` (--profile) > AWS_PROFILE > AWS_DEFAULT_PROFILE > "default".
// Files: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else under $HOME/.aws ("~" is
// expanded). Missing files are fine. Errors (kConfig): a malformed file (naming file and
// line), a profile named by --profile or AWS_PROFILE that neither file has.
Result<SharedConfig> load_shared_config(const Environment& env, std::string_view cli_profile,
                                        const WarnSink& warn);

// "true"/"false" (any case) -> bool; nullopt otherwise.
std::optional<bool> parse_bool_setting(std::string_view s);

}  // namespace ec2rk::ec2api
