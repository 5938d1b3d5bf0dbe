#include "cli/cmd_init.h"

#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/context.h"
#include "cli/prompt.h"

namespace ec2rk::cli {
namespace {

Error no_answer() {
  return make_error(ErrorKind::kUsage, "init: stdin ended before every question was answered");
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Bare TOML key when possible.
std::string key(const std::string& s) {
  bool bare = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  return bare ? s : quoted(s);
}

uint32_t ipv4(const std::string& a) {
  in_addr x{};
  inet_pton(AF_INET, a.c_str(), &x);
  return ntohl(x.s_addr);
}

bool inside(const std::string& address, const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos || !valid_ipv4(address)) return false;
  int bits = std::stoi(cidr.substr(slash + 1));
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (ipv4(address) & mask) == (ipv4(cidr.substr(0, slash)) & mask);
}

// "1 3", "1,3", "all", "none" -> indexes (0-based), or nullopt if malformed.
std::optional<std::vector<size_t>> parse_selection(const std::string& answer, size_t n) {
  std::vector<size_t> out;
  if (answer == "all") {
    for (size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  if (answer == "none" || answer == "-") return out;
  std::string s = answer;
  std::replace(s.begin(), s.end(), ',', ' ');
  std::istringstream in(s);
  std::string tok;
  while (in >> tok) {
    if (!std::all_of(tok.begin(), tok.end(), ::isdigit)) return std::nullopt;
    size_t k = std::stoul(tok);
    if (k < 1 || k > n) return std::nullopt;
    if (std::find(out.begin(), out.end(), k - 1) == out.end()) out.push_back(k - 1);
  }
  return out;
}

struct Node {
  std::string name;
  ec2api::Instance instance;
};

// The node's ENI for a resource: the one it uses now if any, else ask (default
// the device-0 ENI) when it has several.
Result<std::string> choose_eni(const Io& io, const Node& node, const std::string& resource,
                               const std::string& current) {
  std::vector<ec2api::InstanceNetworkInterface> enis = node.instance.network_interfaces;
  std::sort(enis.begin(), enis.end(), [](auto& a, auto& b) { return a.device_index < b.device_index; });
  if (enis.empty()) {
    return make_error(ErrorKind::kService, node.name + " (" + node.instance.instance_id + ") has no network interface");
  }
  std::string fallback = enis.front().network_interface_id;
  for (const auto& e : enis)
    if (e.network_interface_id == current) fallback = current;
  if (enis.size() == 1) return fallback;
  std::string list;
  for (const auto& e : enis) list += " " + e.network_interface_id + " (" + e.private_ip_address + ")";
  *io.err << node.name << "'s network interfaces:" << list << "\n";
  while (true) {
    auto a = ask(io, "ENI of " + node.name + " for " + resource, fallback);
    if (!a) return no_answer();
    for (const auto& e : enis)
      if (e.network_interface_id == *a) return *a;
    *io.err << "  not one of " << node.name << "'s network interfaces\n";
  }
}

Result<std::string> ask_required(const Io& io, const std::string& question, const std::string& fallback,
                                 const std::function<bool(const std::string&)>& valid,
                                 const std::string& expected) {
  while (true) {
    auto a = ask(io, question, fallback);
    if (!a) return no_answer();
    if (valid(*a)) return *a;
    *io.err << "  expected " << expected << "\n";
  }
}

bool good_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

}  // namespace

std::string format_config(const Config& c) {
  std::ostringstream out;
  out << "# ec2rk configuration (see ec2rk.toml(5)). Written by 'ec2rk init'.\n";
  if (!c.region.empty()) out << "region = " << quoted(c.region) << "\n";
  if (!c.profile.empty()) out << "profile = " << quoted(c.profile) << "\n";
  if (!c.endpoint_url.empty()) out << "endpoint_url = " << quoted(c.endpoint_url) << "\n";
  for (const auto& n : c.nodes)
    out << "\n[nodes." << key(n.name) << "]\ninstance_id = " << quoted(n.instance_id) << "\n";
  for (const auto& r : c.routes) {
    out << "\n[routes." << key(r.name) << "]\nvpc_id = " << quoted(r.vpc_id)
        << "\ndestination = " << quoted(r.destination) << "\n";
    if (!r.route_tables.empty()) {
      out << "route_tables = [";
      for (size_t i = 0; i < r.route_tables.size(); ++i) out << (i ? ", " : "") << quoted(r.route_tables[i]);
      out << "]\n";
    }
    out << "[routes." << key(r.name) << ".eni]\n";
    for (const auto& [node, eni] : r.eni) out << key(node) << " = " << quoted(eni) << "\n";
  }
  for (const auto& e : c.eips) {
    out << "\n[eips." << key(e.name) << "]\nallocation_id = " << quoted(e.allocation_id) << "\n";
    out << "[eips." << key(e.name) << ".eni]\n";
    for (const auto& [node, eni] : e.eni) out << key(node) << " = " << quoted(eni) << "\n";
    if (!e.private_ip.empty()) {
      out << "[eips." << key(e.name) << ".private_ip]\n";
      for (const auto& [node, ip] : e.private_ip) out << key(node) << " = " << quoted(ip) << "\n";
    }
  }
  return out.str();
}

int run_init(App& app, const InitOptions& o) {
  const Io& io = app.io;
  const ec2api::Environment& env = app.deps.env ? *app.deps.env : ec2api::process_environment();
  const std::string path = o.output_file.empty() ? resolve_config_path(app.global.config_path, env) : o.output_file;

  auto session = open_session(app, nullptr);
  if (!session) return fail(app, session.error());

  // ---- the two nodes ----
  std::string self_default = o.instance_id;
  if (self_default.empty() && session->imds) {
    if (auto id = session->imds->get("meta-data/instance-id")) self_default = *id;
  }
  auto is_instance = [](const std::string& s) { return valid_id(s, "i-"); };
  auto self_id = ask_required(io, "Instance id of this node", self_default, is_instance, "an instance id (i-...)");
  if (!self_id) return fail(app, self_id.error());
  auto self_name = ask_required(io, "Name of this node", "node1", good_name, "letters, digits, '-' or '_'");
  if (!self_name) return fail(app, self_name.error());
  auto peer_id = ask_required(io, "Instance id of the other node", o.peer_instance_id,
                              [&](const std::string& s) { return is_instance(s) && s != *self_id; },
                              "another instance id (i-...)");
  if (!peer_id) return fail(app, peer_id.error());
  auto peer_name = ask_required(io, "Name of the other node", *self_name == "node2" ? "node1" : "node2",
                                [&](const std::string& s) { return good_name(s) && s != *self_name; },
                                "a different name (letters, digits, '-' or '_')");
  if (!peer_name) return fail(app, peer_name.error());

  auto client = session->make_client(app_clock(app));
  ec2api::DescribeInstancesRequest di;
  di.instance_ids = {*self_id, *peer_id};
  auto instances = client->describe_instances(di);
  if (!instances) return fail(app, instances.error());
  std::vector<Node> nodes = {{*self_name, {}}, {*peer_name, {}}};
  for (const auto& i : instances->instances) {
    if (i.instance_id == *self_id) nodes[0].instance = i;
    if (i.instance_id == *peer_id) nodes[1].instance = i;
  }
  for (const auto& n : nodes) {
    if (n.instance.instance_id.empty())
      return fail(app, make_error(ErrorKind::kService, "instance " + (n.name == *self_name ? *self_id : *peer_id) + " not found"));
  }
  const std::string vpc_id = nodes[0].instance.vpc_id;
  if (vpc_id != nodes[1].instance.vpc_id) {
    return fail(app, make_error(ErrorKind::kUsage, "the nodes are in different VPCs (" + vpc_id + ", " +
                                                       nodes[1].instance.vpc_id + ")"));
  }

  // ---- discover ----
  ec2api::DescribeVpcsRequest dv;
  dv.vpc_ids = {vpc_id};
  auto vpcs = client->describe_vpcs(dv);
  if (!vpcs) return fail(app, vpcs.error());
  std::vector<std::string> cidrs;
  for (const auto& v : vpcs->vpcs) {
    if (!v.cidr_block.empty()) cidrs.push_back(v.cidr_block);
    for (const auto& c : v.cidr_blocks) cidrs.push_back(c);
  }
  ec2api::DescribeRouteTablesRequest dr;
  dr.filters.push_back({"vpc-id", {vpc_id}});
  auto tables = client->describe_route_tables(dr);
  if (!tables) return fail(app, tables.error());
  auto addresses = client->describe_addresses({});
  if (!addresses) return fail(app, addresses.error());

  auto node_of = [&](const std::string& eni) -> std::string {
    for (const auto& n : nodes)
      for (const auto& e : n.instance.network_interfaces)
        if (e.network_interface_id == eni) return n.name;
    return "";
  };
  struct Candidate {
    std::string destination;
    std::vector<std::string> tables;
    std::string target;
  };
  std::vector<Candidate> routes;
  for (const auto& t : tables->route_tables) {
    for (const auto& r : t.routes) {
      const std::string& d = r.destination_cidr_block;
      if (d.size() < 4 || d.substr(d.size() - 3) != "/32") continue;
      std::string addr = d.substr(0, d.size() - 3);
      if (std::any_of(cidrs.begin(), cidrs.end(), [&](const std::string& c) { return inside(addr, c); })) continue;
      auto it = std::find_if(routes.begin(), routes.end(), [&](auto& c) { return c.destination == d; });
      if (it == routes.end()) it = routes.insert(routes.end(), Candidate{d, {}, ""});
      it->tables.push_back(t.route_table_id);
      if (it->target.empty() || !node_of(r.network_interface_id).empty()) it->target = r.network_interface_id;
    }
  }

  Config cfg;
  cfg.region = session->region;
  cfg.endpoint_url = app.global.endpoint_url;
  cfg.profile = app.global.profile;
  cfg.nodes = {{*self_name, *self_id}, {*peer_name, *peer_id}};
  std::sort(cfg.nodes.begin(), cfg.nodes.end(), [](auto& a, auto& b) { return a.name < b.name; });
  std::set<std::string> names;

  *io.err << "VPC " << vpc_id << " (" << (cidrs.empty() ? "?" : cidrs.front()) << ")\n";
  if (routes.empty()) {
    *io.err << "No /32 routes outside the VPC CIDR in " << vpc_id << ".\n";
  } else {
    *io.err << "Routes for addresses outside the VPC:\n";
    for (size_t i = 0; i < routes.size(); ++i) {
      std::string tl;
      for (const auto& t : routes[i].tables) tl += (tl.empty() ? "" : ", ") + t;
      std::string owner = node_of(routes[i].target);
      *io.err << "  " << i + 1 << ") " << routes[i].destination << " in " << tl << " -> "
              << (routes[i].target.empty() ? "no ENI" : routes[i].target)
              << (owner.empty() ? "" : " (" + owner + ")") << "\n";
    }
    std::optional<std::vector<size_t>> pick;
    while (!pick) {
      auto a = ask(io, "Routes to manage (numbers, 'all' or 'none')", "all");
      if (!a) return fail(app, no_answer());
      pick = parse_selection(*a, routes.size());
      if (!pick) *io.err << "  expected numbers from 1 to " << routes.size() << ", 'all' or 'none'\n";
    }
    for (size_t k : *pick) {
      const auto& cand = routes[k];
      std::string fallback = names.count("vip") ? "vip" + std::to_string(names.size() + 1) : "vip";
      auto name = ask_required(io, "Name for the route to " + cand.destination, fallback,
                               [&](const std::string& s) { return good_name(s) && !names.count(s); },
                               "a new name (letters, digits, '-' or '_')");
      if (!name) return fail(app, name.error());
      names.insert(*name);
      RouteResource r;
      r.name = *name;
      r.vpc_id = vpc_id;
      r.destination = cand.destination;
      for (const auto& n : nodes) {
        auto eni = choose_eni(io, n, *name, cand.target);
        if (!eni) return fail(app, eni.error());
        r.eni[n.name] = *eni;
      }
      cfg.routes.push_back(std::move(r));
    }
  }

  if (addresses->addresses.empty()) {
    *io.err << "No Elastic IPs in this account and region.\n";
  } else {
    *io.err << "Elastic IPs:\n";
    std::string fallback;
    for (size_t i = 0; i < addresses->addresses.size(); ++i) {
      const auto& a = addresses->addresses[i];
      std::string owner = node_of(a.network_interface_id);
      if (!owner.empty()) fallback += (fallback.empty() ? "" : " ") + std::to_string(i + 1);
      *io.err << "  " << i + 1 << ") " << a.public_ip << " " << a.allocation_id << " -> "
              << (a.network_interface_id.empty() ? "unassociated" : a.network_interface_id)
              << (owner.empty() ? "" : " (" + owner + ")") << "\n";
    }
    std::optional<std::vector<size_t>> pick;
    while (!pick) {
      auto a = ask(io, "Elastic IPs to manage (numbers, 'all' or 'none')", fallback.empty() ? "none" : fallback);
      if (!a) return fail(app, no_answer());
      pick = parse_selection(*a, addresses->addresses.size());
      if (!pick) *io.err << "  expected numbers from 1 to " << addresses->addresses.size() << ", 'all' or 'none'\n";
    }
    for (size_t k : *pick) {
      const auto& addr = addresses->addresses[k];
      std::string fb = names.count("eip") ? "eip" + std::to_string(names.size() + 1) : "eip";
      auto name = ask_required(io, "Name for Elastic IP " + addr.public_ip, fb,
                               [&](const std::string& s) { return good_name(s) && !names.count(s); },
                               "a new name (letters, digits, '-' or '_')");
      if (!name) return fail(app, name.error());
      names.insert(*name);
      EipResource e;
      e.name = *name;
      e.allocation_id = addr.allocation_id;
      for (const auto& n : nodes) {
        auto eni = choose_eni(io, n, *name, addr.network_interface_id);
        if (!eni) return fail(app, eni.error());
        e.eni[n.name] = *eni;
        // Keep a secondary private IP the address uses now; the primary is the default anyway.
        if (*eni == addr.network_interface_id && !addr.private_ip_address.empty()) {
          for (const auto& ni : n.instance.network_interfaces)
            if (ni.network_interface_id == *eni && ni.private_ip_address != addr.private_ip_address)
              e.private_ip[n.name] = addr.private_ip_address;
        }
      }
      cfg.eips.push_back(std::move(e));
    }
  }
  std::sort(cfg.routes.begin(), cfg.routes.end(), [](auto& a, auto& b) { return a.name < b.name; });
  std::sort(cfg.eips.begin(), cfg.eips.end(), [](auto& a, auto& b) { return a.name < b.name; });
  if (cfg.routes.empty() && cfg.eips.empty()) {
    return fail(app, make_error(ErrorKind::kUsage, "init: nothing chosen to manage; no file written"));
  }

  const std::string text = format_config(cfg);
  if (auto check = parse_config(text, path); !check) return fail(app, check.error());  // never write a bad file
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    if (!confirm(io, path + " exists. Overwrite it?")) {
      return fail(app, make_error(ErrorKind::kPrecondition, "init: " + path + " left as it was"));
    }
  }
  if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty())
    std::filesystem::create_directories(parent, ec);
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return fail(app, make_error(ErrorKind::kConfig, path + ": cannot write the configuration file"));

  if (app.global.output == OutputFormat::kJson) {
    nlohmann::json routes_j = nlohmann::json::array(), eips_j = nlohmann::json::array();
    for (const auto& r : cfg.routes) routes_j.push_back(r.name);
    for (const auto& e : cfg.eips) eips_j.push_back(e.name);
    *io.out << nlohmann::json{{"path", path}, {"nodes", cfg.node_names()}, {"routes", routes_j}, {"eips", eips_j}}.dump(2)
            << "\n";
  } else {
    *io.out << text;
  }
  progress(app, "wrote " + path + " (" + std::to_string(cfg.routes.size() + cfg.eips.size()) +
                    " resources); try 'ec2rk list'");
  return to_int(ExitCode::kOk);
}

void define_init(CLI::App& parent, const Command& self, App& app) {
  auto opts = std::make_shared<InitOptions>();
  auto* sub = parent.add_subcommand(std::string(self.name), std::string(self.summary));
  sub->add_option("--output-file", opts->output_file,
                  "Where to write (default: --config, $EC2RK_CONFIG or /etc/ec2rk/ec2rk.toml)");
  sub->callback([&app, opts] { app.exit_code = run_init(app, *opts); });
}

}  // namespace ec2rk::cli
