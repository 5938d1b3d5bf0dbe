#include "cli/config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/suggest.h"
#include "cli/toml.h"

namespace ec2rk::cli {

const NodeConfig* Config::node(std::string_view name) const {
  for (const auto& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const NodeConfig* Config::node_by_instance(std::string_view instance_id) const {
  for (const auto& n : nodes)
    if (n.instance_id == instance_id) return &n;
  return nullptr;
}

std::vector<std::string> Config::node_names() const {
  std::vector<std::string> out;
  for (const auto& n : nodes) out.push_back(n.name);
  return out;
}

std::vector<std::string> Config::resource_names() const {
  std::vector<std::string> out;
  for (const auto& r : routes) out.push_back(r.name);
  for (const auto& e : eips) out.push_back(e.name);
  return out;
}

bool Config::has_resource(std::string_view name) const {
  for (const auto& n : resource_names())
    if (n == name) return true;
  return false;
}

std::string resolve_config_path(const std::string& flag, const ec2api::Environment& env) {
  if (!flag.empty()) return flag;
  if (auto v = env.get("EC2RK_CONFIG"); v && !v->empty()) return *v;
  return std::string(kDefaultConfigPath);
}

bool valid_id(std::string_view id, std::string_view prefix) {
  if (id.size() <= prefix.size() || id.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(id.begin() + static_cast<std::ptrdiff_t>(prefix.size()), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); });
}

bool valid_ipv4(std::string_view address) {
  in_addr a{};
  return inet_pton(AF_INET, std::string(address).c_str(), &a) == 1;
}

std::optional<std::string> canonical_host_route(std::string_view cidr, bool* ipv6) {
  auto slash = cidr.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string addr(cidr.substr(0, slash));
  std::string_view len = cidr.substr(slash + 1);
  if (addr.find(':') == std::string::npos) {
    if (len != "32" || !valid_ipv4(addr)) return std::nullopt;
    if (ipv6) *ipv6 = false;
    return addr + "/32";
  }
  in6_addr a6{};
  if (len != "128" || inet_pton(AF_INET6, addr.c_str(), &a6) != 1) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &a6, buf, sizeof buf);  // EC2 reports the compressed lower-case form
  if (ipv6) *ipv6 = true;
  return std::string(buf) + "/128";
}

namespace {

// Collects the first mistake with its position; parsing stops at the first one.
class Checker {
 public:
  explicit Checker(std::string path) : path_(std::move(path)) {}

  bool failed() const { return error_.has_value(); }
  Error error() const { return *error_; }

  void fail(const toml::source_region& where, const std::string& what) {
    if (error_) return;
    std::string pos = path_;
    if (where.begin.line > 0) pos += ":" + std::to_string(where.begin.line);
    error_ = make_error(ErrorKind::kConfig, pos + ": " + what);
  }

  // Every key of `t` must be one of `allowed`.
  void only_keys(const toml::table& t, const std::vector<std::string>& allowed,
                 const std::string& where) {
    for (auto&& [k, v] : t) {
      std::string key(k.str());
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(k.source(), "unknown key '" + key + "' in " + where + did_you_mean(key, allowed) +
                             "; expected one of: " + join(allowed));
        return;
      }
    }
  }

  // A required or optional string.
  std::string string(const toml::table& t, std::string_view key, const std::string& where,
                     bool required, const toml::source_region& table_pos) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) fail(table_pos, where + " needs '" + std::string(key) + "' (a string)");
      return "";
    }
    if (!n->is_string()) {
      fail(n->source(), "'" + std::string(key) + "' in " + where + " must be a string");
      return "";
    }
    return std::string(n->as_string()->get());
  }

  const toml::table* table(const toml::table& t, std::string_view key, const std::string& where,
                           bool required, const toml::source_region& table_pos) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required)
        fail(table_pos, where + " needs a table [" + where_key(where) + "." + std::string(key) +
                            "]");
      return nullptr;
    }
    if (!n->is_table()) {
      fail(n->source(), "'" + std::string(key) + "' in " + where + " must be a table");
      return nullptr;
    }
    return n->as_table();
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

 private:
  // "[routes.vip]" -> "routes.vip"
  static std::string where_key(const std::string& where) {
    if (where.size() > 2 && where.front() == '[') return where.substr(1, where.size() - 2);
    return where;
  }

  std::string path_;
  std::optional<Error> error_;
};

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// A node -> string mapping ([routes.X.eni], [eips.X.private_ip]); checks values.
std::map<std::string, std::string> node_map(Checker& ck, const toml::table& t,
                                            const std::string& where, const Config& cfg,
                                            bool every_node, std::string_view prefix,
                                            const std::string& what) {
  std::map<std::string, std::string> out;
  const auto names = cfg.node_names();
  for (auto&& [k, v] : t) {
    std::string node(k.str());
    if (cfg.node(node) == nullptr) {
      ck.fail(k.source(), where + " names '" + node + "', which is not a node" +
                              did_you_mean(node, names) + "; nodes are: " + Checker::join(names));
      return out;
    }
    if (!v.is_string()) {
      ck.fail(v.source(), where + "." + node + " must be a string (" + what + ")");
      return out;
    }
    std::string value(v.as_string()->get());
    bool ok = prefix.empty() ? valid_ipv4(value) : valid_id(value, prefix);
    if (!ok) {
      ck.fail(v.source(), where + "." + node + " = \"" + value + "\": expected " + what);
      return out;
    }
    out[node] = value;
  }
  if (every_node) {
    for (const auto& n : cfg.nodes) {
      if (!out.count(n.name)) {
        ck.fail(t.source(), where + " has no entry for node '" + n.name + "' (expected " +
                                n.name + " = \"" + std::string(prefix) + "...\")");
        return out;
      }
    }
  }
  return out;
}

void parse_nodes(Checker& ck, const toml::table& root, Config& cfg) {
  const toml::node* n = root.get("nodes");
  if (n == nullptr) {
    ck.fail(root.source(), "no [nodes.NAME] tables; expected at least two nodes, each with "
                           "instance_id = \"i-...\"");
    return;
  }
  if (!n->is_table()) {
    ck.fail(n->source(), "'nodes' must be a table of [nodes.NAME] tables");
    return;
  }
  std::set<std::string> instances;
  for (auto&& [k, v] : *n->as_table()) {
    std::string name(k.str());
    std::string where = "[nodes." + name + "]";
    if (!valid_name(name)) {
      ck.fail(k.source(), "node name '" + name + "': expected letters, digits, '-', '_' or '.'");
      return;
    }
    if (!v.is_table()) {
      ck.fail(v.source(), "nodes." + name + " must be a table with instance_id = \"i-...\"");
      return;
    }
    const toml::table& t = *v.as_table();
    ck.only_keys(t, {"instance_id"}, where);
    std::string id = ck.string(t, "instance_id", where, true, t.source());
    if (ck.failed()) return;
    if (!valid_id(id, "i-")) {
      ck.fail(t.get("instance_id")->source(),
              "instance_id = \"" + id + "\": expected an instance id (i-...)");
      return;
    }
    if (!instances.insert(id).second) {
      ck.fail(t.get("instance_id")->source(), "instance " + id + " is given to two nodes");
      return;
    }
    cfg.nodes.push_back({name, id});
  }
  if (cfg.nodes.size() < 2) {
    ck.fail(n->source(), "a cluster needs at least two nodes; found " +
                             std::to_string(cfg.nodes.size()));
  }
}

void parse_routes(Checker& ck, const toml::table& root, Config& cfg, std::set<std::string>& names) {
  const toml::node* n = root.get("routes");
  if (n == nullptr) return;
  if (!n->is_table()) {
    ck.fail(n->source(), "'routes' must be a table of [routes.NAME] tables");
    return;
  }
  std::set<std::pair<std::string, std::string>> seen;  // (vpc, destination)
  for (auto&& [k, v] : *n->as_table()) {
    RouteResource r;
    r.name = std::string(k.str());
    std::string where = "[routes." + r.name + "]";
    if (!valid_name(r.name)) {
      ck.fail(k.source(), "resource name '" + r.name + "': expected letters, digits, '-', '_' or '.'");
      return;
    }
    if (!v.is_table()) {
      ck.fail(v.source(), "routes." + r.name + " must be a table");
      return;
    }
    const toml::table& t = *v.as_table();
    ck.only_keys(t, {"vpc_id", "destination", "eni", "route_tables"}, where);
    r.vpc_id = ck.string(t, "vpc_id", where, true, t.source());
    std::string dest = ck.string(t, "destination", where, true, t.source());
    if (ck.failed()) return;
    if (!valid_id(r.vpc_id, "vpc-")) {
      ck.fail(t.get("vpc_id")->source(), "vpc_id = \"" + r.vpc_id + "\": expected a VPC id (vpc-...)");
      return;
    }
    auto canonical = canonical_host_route(dest, &r.ipv6);
    if (!canonical) {
      ck.fail(t.get("destination")->source(),
              "destination = \"" + dest +
                  "\": expected a single address as an IPv4 /32 (e.g. 10.1.0.10/32) or IPv6 /128");
      return;
    }
    r.destination = *canonical;
    if (!seen.insert({r.vpc_id, r.destination}).second) {
      ck.fail(t.get("destination")->source(),
              "destination " + r.destination + " in " + r.vpc_id + " is managed twice");
      return;
    }
    if (const toml::node* rt = t.get("route_tables")) {
      if (!rt->is_array()) {
        ck.fail(rt->source(), "route_tables must be an array of route table ids (rtb-...)");
        return;
      }
      for (const toml::node& item : *rt->as_array()) {
        if (!item.is_string() || !valid_id(item.as_string()->get(), "rtb-")) {
          ck.fail(item.source(), "route_tables: expected route table ids (rtb-...)");
          return;
        }
        std::string id(item.as_string()->get());
        if (std::find(r.route_tables.begin(), r.route_tables.end(), id) != r.route_tables.end()) {
          ck.fail(item.source(), "route_tables lists " + id + " twice");
          return;
        }
        r.route_tables.push_back(id);
      }
    }
    const toml::table* eni = ck.table(t, "eni", where, true, t.source());
    if (ck.failed()) return;
    r.eni = node_map(ck, *eni, "[routes." + r.name + ".eni]", cfg, true, "eni-",
                     "an ENI id (eni-...)");
    if (ck.failed()) return;
    if (!names.insert(r.name).second) {
      ck.fail(k.source(), "resource name '" + r.name + "' is used twice");
      return;
    }
    cfg.routes.push_back(std::move(r));
  }
}

void parse_eips(Checker& ck, const toml::table& root, Config& cfg, std::set<std::string>& names) {
  const toml::node* n = root.get("eips");
  if (n == nullptr) return;
  if (!n->is_table()) {
    ck.fail(n->source(), "'eips' must be a table of [eips.NAME] tables");
    return;
  }
  std::set<std::string> allocations;
  for (auto&& [k, v] : *n->as_table()) {
    EipResource e;
    e.name = std::string(k.str());
    std::string where = "[eips." + e.name + "]";
    if (!valid_name(e.name)) {
      ck.fail(k.source(), "resource name '" + e.name + "': expected letters, digits, '-', '_' or '.'");
      return;
    }
    if (!v.is_table()) {
      ck.fail(v.source(), "eips." + e.name + " must be a table");
      return;
    }
    const toml::table& t = *v.as_table();
    ck.only_keys(t, {"allocation_id", "eni", "private_ip"}, where);
    e.allocation_id = ck.string(t, "allocation_id", where, true, t.source());
    if (ck.failed()) return;
    if (!valid_id(e.allocation_id, "eipalloc-")) {
      ck.fail(t.get("allocation_id")->source(),
              "allocation_id = \"" + e.allocation_id + "\": expected an allocation id (eipalloc-...)");
      return;
    }
    if (!allocations.insert(e.allocation_id).second) {
      ck.fail(t.get("allocation_id")->source(), e.allocation_id + " is managed twice");
      return;
    }
    const toml::table* eni = ck.table(t, "eni", where, true, t.source());
    if (ck.failed()) return;
    e.eni = node_map(ck, *eni, "[eips." + e.name + ".eni]", cfg, true, "eni-", "an ENI id (eni-...)");
    if (ck.failed()) return;
    if (const toml::table* pip = ck.table(t, "private_ip", where, false, t.source())) {
      e.private_ip = node_map(ck, *pip, "[eips." + e.name + ".private_ip]", cfg, false, "",
                              "an IPv4 address (e.g. 10.0.2.11)");
    }
    if (ck.failed()) return;
    if (!names.insert(e.name).second) {
      ck.fail(k.source(), "resource name '" + e.name + "' is used by a route and an Elastic IP");
      return;
    }
    cfg.eips.push_back(std::move(e));
  }
}

}  // namespace

Result<Config> parse_config(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorKind::kConfig, path + ":" + std::to_string(e.source().begin.line) +
                                              ": " + std::string(e.description()));
  }
  Config cfg;
  cfg.path = path;
  Checker ck(path);
  ck.only_keys(root, {"region", "profile", "endpoint_url", "nodes", "routes", "eips"},
               "the top level");
  cfg.region = ck.string(root, "region", "the top level", false, root.source());
  cfg.profile = ck.string(root, "profile", "the top level", false, root.source());
  cfg.endpoint_url = ck.string(root, "endpoint_url", "the top level", false, root.source());
  if (!ck.failed() && !cfg.endpoint_url.empty() && cfg.endpoint_url.rfind("https://", 0) != 0 &&
      cfg.endpoint_url.rfind("http://", 0) != 0) {
    ck.fail(root.get("endpoint_url")->source(),
            "endpoint_url = \"" + cfg.endpoint_url + "\": expected an http:// or https:// URL");
  }
  if (!ck.failed()) parse_nodes(ck, root, cfg);
  std::set<std::string> names;
  if (!ck.failed()) parse_routes(ck, root, cfg, names);
  if (!ck.failed()) parse_eips(ck, root, cfg, names);
  if (!ck.failed() && cfg.routes.empty() && cfg.eips.empty()) {
    ck.fail(root.source(), "no resources: expected at least one [routes.NAME] or [eips.NAME]");
  }
  if (ck.failed()) return ck.error();
  return cfg;
}

Result<Config> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorKind::kConfig,
                      path + ": cannot read the configuration file (create it with 'ec2rk init', "
                             "or give --config FILE)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

Result<Config> select_resources(const Config& config, const std::vector<std::string>& names) {
  if (names.empty()) return config;
  Config out = config;
  out.routes.clear();
  out.eips.clear();
  const auto all = config.resource_names();
  for (const auto& name : names) {
    if (!config.has_resource(name)) {
      return make_error(ErrorKind::kUsage, "no resource named '" + name + "' in " + config.path +
                                               did_you_mean(name, all) + "; resources are: " +
                                               Checker::join(all));
    }
  }
  for (const auto& r : config.routes)
    if (std::find(names.begin(), names.end(), r.name) != names.end()) out.routes.push_back(r);
  for (const auto& e : config.eips)
    if (std::find(names.begin(), names.end(), e.name) != names.end()) out.eips.push_back(e);
  return out;
}

}  // namespace ec2rk::cli
