#include "sim/config_writer.h"

namespace ec2rk::sim {
namespace {

// TOML basic string: quote, escape backslash and quote (ids never need more).
std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// "eth<N>" for an ENI attached to an instance, "" otherwise.
std::string device_name(const State& state, std::string_view eni_id) {
  const NetworkInterface* e = state.eni(eni_id);
  if (!e || !e->attachment) return "";
  return "eth" + std::to_string(e->attachment->device_index);
}

}  // namespace

std::string render_config(const Scenario& sc, std::string_view endpoint_url) {
  std::string out = "# ec2rk configuration for ec2rk-sim scenario " + toml_string(sc.name) + "\n";
  out += "region = " + toml_string(sc.state.region) + "\n";
  out += "endpoint_url = " + toml_string(endpoint_url) + "\n";
  for (const auto& n : sc.ec2rk.nodes) {
    out += "\n[nodes." + n.name + "]\n";
    out += "instance_id = " + toml_string(n.instance_id) + "\n";
  }
  for (const auto& r : sc.ec2rk.routes) {
    out += "\n[routes." + r.name + "]\n";
    out += "vpc_id = " + toml_string(r.vpc_id) + "\n";
    out += "destination = " + toml_string(r.destination) + "\n";
    out += "\n[routes." + r.name + ".eni]\n";
    for (size_t i = 0; i < r.eni.size(); ++i) {
      const auto& [node, eni] = r.eni[i];
      out += node + " = " + toml_string(eni);
      std::string dev = device_name(sc.state, eni);
      if (i == 0 && !dev.empty()) out += "   # " + node + " " + dev;
      out += "\n";
    }
  }
  for (const auto& e : sc.ec2rk.eips) {
    out += "\n[eips." + e.name + "]\n";
    out += "allocation_id = " + toml_string(e.allocation_id) + "\n";
    if (!e.eni.empty()) {
      out += "\n[eips." + e.name + ".eni]\n";
      for (size_t i = 0; i < e.eni.size(); ++i) {
        const auto& [node, eni] = e.eni[i];
        out += node + " = " + toml_string(eni);
        std::string dev = device_name(sc.state, eni);
        if (i == 0 && !dev.empty()) out += "   # " + dev;
        out += "\n";
      }
    }
    if (!e.private_ip.empty()) {
      out += "\n[eips." + e.name + ".private_ip]\n";
      for (const auto& [node, ip] : e.private_ip) out += node + " = " + toml_string(ip) + "\n";
    }
  }
  return out;
}

}  // namespace ec2rk::sim
