#include "ec2api/endpoint.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace ec2rk::ec2api {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

Error config_error(std::string message) { return make_error(ErrorKind::kConfig, std::move(message)); }

struct Partition {
  std::string_view prefix;  // region prefix ("" = the commercial default)
  std::string_view dns_suffix;
  std::string_view dualstack_suffix;  // "" = no dual-stack endpoints
  bool fips_is_standard_host;         // aws-us-gov: FIPS is ec2.<region>.amazonaws.com
};

// Longest prefixes first; the commercial partition is the fallback.
constexpr std::array<Partition, 8> kPartitions = {{
    {"us-gov-", "amazonaws.com", "api.aws", true},
    {"us-isob-", "sc2s.sgov.gov", "", false},
    {"us-isof-", "csp.hci.ic.gov", "", false},
    {"us-iso-", "c2s.ic.gov", "", false},
    {"eu-isoe-", "cloud.adc-e.uk", "", false},
    {"eusc-", "amazonaws.eu", "api.amazonwebservices.eu", false},
    {"cn-", "amazonaws.com.cn", "api.amazonwebservices.com.cn", false},
    {"", "amazonaws.com", "api.aws", false},
}};

}  // namespace

std::string Url::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  int default_port = scheme == "https" ? 443 : 80;
  if (port != 0 && port != default_port) h += ":" + std::to_string(port);
  return h;
}

std::string Url::origin() const { return scheme + "://" + host_header(); }

Result<Url> parse_url(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return config_error("invalid URL '" + std::string(text) + "': " + std::string(why));
  };
  Url u;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad("expected http:// or https://");
  u.scheme = lower(text.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return bad("expected http:// or https://");
  std::string_view rest = text.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return bad("no query or fragment allowed");
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) u.path = std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos) return bad("no user info allowed");
  std::string_view hostport = authority;
  std::string_view port_text;
  if (starts_with(hostport, "[")) {
    auto close = hostport.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    u.host = lower(hostport.substr(1, close - 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the IPv6 literal");
      port_text = after.substr(1);
      if (port_text.empty()) return bad("empty port");
    }
    in6_addr addr{};
    if (inet_pton(AF_INET6, u.host.c_str(), &addr) != 1) return bad("invalid IPv6 literal");
  } else {
    auto colon = hostport.rfind(':');
    if (colon != std::string_view::npos) {
      port_text = hostport.substr(colon + 1);
      hostport = hostport.substr(0, colon);
      if (port_text.empty()) return bad("empty port");
    }
    u.host = lower(hostport);
    for (char c : u.host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
        return bad("invalid host name");
      }
    }
  }
  if (u.host.empty()) return bad("no host");
  if (!port_text.empty()) {
    if (port_text.size() > 5 ||
        !std::all_of(port_text.begin(), port_text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return bad("invalid port");
    }
    u.port = std::stoi(std::string(port_text));
    if (u.port < 1 || u.port > 65535) return bad("invalid port");
  }
  return u;
}

bool is_loopback_host(std::string_view host_in) {
  std::string host = lower(host_in);
  if (starts_with(host, "[") && host.size() >= 2 && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
  }
  return false;
}

Result<Url> check_endpoint_url(std::string_view url, std::string_view source) {
  auto parsed = parse_url(url);
  if (!parsed) {
    Error e = parsed.error();
    e.message = std::string(source) + ": " + e.message;
    return e;
  }
  if (parsed->scheme == "http" && !is_loopback_host(parsed->host)) {
    return config_error(std::string(source) + ": plain http:// is only allowed to a loopback host "
                        "(127.0.0.0/8, ::1, localhost); use https:// for '" + std::string(url) + "'");
  }
  return parsed;
}

bool is_valid_region(std::string_view region) {
  if (region.empty() || region.size() > 64) return false;
  if (!std::islower(static_cast<unsigned char>(region.front()))) return false;
  return std::all_of(region.begin(), region.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
           c == '-';
  });
}

Result<std::string> default_endpoint(std::string_view region, bool fips, bool dualstack) {
  if (!is_valid_region(region)) {
    return config_error("invalid region '" + std::string(region) +
                        "' (expected a name like us-east-1)");
  }
  const Partition* p = &kPartitions.back();
  for (const Partition& candidate : kPartitions) {
    if (!candidate.prefix.empty() && starts_with(region, candidate.prefix)) {
      p = &candidate;
      break;
    }
  }
  std::string r(region);
  if (dualstack) {
    if (p->dualstack_suffix.empty()) {
      return config_error("dual-stack EC2 endpoints are not available in region " + r);
    }
    return "https://" + std::string(fips ? "ec2-fips." : "ec2.") + r + "." +
           std::string(p->dualstack_suffix);
  }
  if (fips && !p->fips_is_standard_host) {
    return "https://ec2-fips." + r + "." + std::string(p->dns_suffix);
  }
  return "https://ec2." + r + "." + std::string(p->dns_suffix);
}

}  // namespace ec2rk::ec2api
