#include "sim/imds.h"

#include <openssl/rand.h>

#include <set>

#include "sim/render.h"

namespace ec2rk::sim {
namespace {

constexpr std::string_view kTokenPath = "/latest/api/token";

std::string random_token() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char bytes[56];
  RAND_bytes(bytes, sizeof bytes);
  std::string out;
  for (unsigned char b : bytes) out += kAlphabet[b % kAlphabet.size()];
  return out;
}

std::optional<long> parse_ttl(const std::string* value) {
  if (!value || value->empty() || value->size() > 6 ||
      value->find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  long n = std::stol(*value);
  if (n < 1 || n > 21600) return std::nullopt;
  return n;
}

ImdsResponse status(int code, std::string body = "") {
  ImdsResponse r;
  r.status = code;
  r.body = std::move(body);
  return r;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    out += lines[i];
  }
  return out;
}

// Every leaf under /latest/ for the instance, by path.
std::map<std::string, std::string> metadata_tree(const State& s, const Instance& in) {
  std::map<std::string, std::string> t;
  auto enis = s.instance_enis(in.id);
  const NetworkInterface* primary = enis.empty() ? nullptr : enis.front();
  std::string az = primary ? s.eni_availability_zone(*primary) : "";
  std::string ip = primary ? primary->private_ips.front() : "";
  t["meta-data/ami-id"] = in.image_id;
  t["meta-data/instance-id"] = in.id;
  t["meta-data/instance-type"] = in.instance_type;
  t["meta-data/reservation-id"] = in.reservation_id;
  t["meta-data/local-ipv4"] = ip;
  t["meta-data/hostname"] = ip.empty() ? "" : private_dns_name(s, ip);
  t["meta-data/local-hostname"] = t["meta-data/hostname"];
  t["meta-data/mac"] = primary ? primary->mac : "";
  t["meta-data/placement/availability-zone"] = az;
  t["meta-data/placement/availability-zone-id"] = s.availability_zone_id(az);
  t["meta-data/placement/region"] = s.region;
  t["meta-data/services/domain"] = "amazonaws.com";
  t["meta-data/services/partition"] = "aws";
  if (primary) {
    if (const Address* a = s.address_on(primary->id, ip)) {
      t["meta-data/public-ipv4"] = a->public_ip;
      t["meta-data/public-hostname"] = public_dns_name(s, a->public_ip);
    }
  }
  for (const NetworkInterface* e : enis) {
    std::string base = "meta-data/network/interfaces/macs/" + e->mac + "/";
    const Subnet* sn = s.subnet(e->subnet_id);
    const Vpc* vpc = sn ? s.vpc(sn->vpc_id) : nullptr;
    t[base + "device-number"] = std::to_string(e->attachment->device_index);
    t[base + "network-card"] = "0";
    t[base + "interface-id"] = e->id;
    t[base + "mac"] = e->mac;
    t[base + "owner-id"] = s.account_id;
    t[base + "local-ipv4s"] = join_lines(e->private_ips);
    t[base + "local-hostname"] = private_dns_name(s, e->private_ips.front());
    t[base + "subnet-id"] = e->subnet_id;
    t[base + "subnet-ipv4-cidr-block"] = sn ? sn->cidr : "";
    t[base + "vpc-id"] = sn ? sn->vpc_id : "";
    t[base + "vpc-ipv4-cidr-block"] = vpc ? vpc->cidr : "";
    t[base + "vpc-ipv4-cidr-blocks"] = vpc ? vpc->cidr : "";
    std::vector<std::string> groups;
    for (const auto& g : e->groups) groups.push_back(g.id);
    if (!groups.empty()) t[base + "security-group-ids"] = join_lines(groups);
    std::vector<std::string> publics;
    for (const auto& pip : e->private_ips) {
      if (const Address* a = s.address_on(e->id, pip)) {
        publics.push_back(a->public_ip);
        t[base + "ipv4-associations/" + a->public_ip] = pip;
      }
    }
    if (!publics.empty()) t[base + "public-ipv4s"] = join_lines(publics);
  }
  Json doc = {{"accountId", s.account_id},
              {"architecture", "x86_64"},
              {"availabilityZone", az},
              {"imageId", in.image_id},
              {"instanceId", in.id},
              {"instanceType", in.instance_type},
              {"pendingTime", in.launch_time},
              {"privateIp", ip},
              {"region", s.region},
              {"version", "2017-09-30"}};
  t["dynamic/instance-identity/document"] = doc.dump(2);
  return t;
}

}  // namespace

Imds::Imds(Simulator& sim, std::string instance_id, ImdsOptions options)
    : sim_(sim), instance_id_(std::move(instance_id)), options_(options) {}

ImdsResponse Imds::handle(std::string_view method, std::string_view path,
                          const HeaderLookup& header) {
  if (method == "PUT") {
    if (path != kTokenPath) {
      // Versioned token paths are refused by design; everything else is not a PUT target.
      return status(path.find("/api/token") != std::string_view::npos ? 403 : 405);
    }
    if (header("X-Forwarded-For")) return status(403);
    auto ttl = parse_ttl(header("X-aws-ec2-metadata-token-ttl-seconds"));
    if (!ttl) return status(400);
    int64_t life_s = *ttl;
    if (options_.token_ttl_cap_s > 0) life_s = std::min<int64_t>(life_s, options_.token_ttl_cap_s);
    std::string token = random_token();
    int64_t now = sim_.now_ms();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = tokens_.begin(); it != tokens_.end();) {
        it = it->second <= now ? tokens_.erase(it) : std::next(it);
      }
      tokens_[token] = now + life_s * 1000;
    }
    ImdsResponse r;
    r.body = token;
    return r;
  }
  if (method != "GET" && method != "HEAD") return status(405);
  if (path == kTokenPath) return status(405);
  const std::string* token = header("X-aws-ec2-metadata-token");
  if (!token) return status(401);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tokens_.find(*token);
    if (it == tokens_.end() || it->second <= sim_.now_ms()) return status(401);
  }
  return get(path);
}

ImdsResponse Imds::get(std::string_view path) {
  constexpr std::string_view kLatest = "/latest/";
  if (path == "/" || path == "/latest") return status(200, "latest");
  if (path.substr(0, kLatest.size()) != kLatest) return status(404);
  std::string rel(path.substr(kLatest.size()));
  State s = sim_.current_state();
  const Instance* in = s.instance(instance_id_);
  if (!in) return status(404);
  std::map<std::string, std::string> tree = metadata_tree(s, *in);
  if (!in->iam_role.empty()) {
    std::string creds = "meta-data/iam/security-credentials/";
    tree[creds + in->iam_role] = "";  // computed below, only when asked for
    Json info = {{"Code", "Success"},
                 {"LastUpdated", in->launch_time.substr(0, 19) + "Z"},
                 {"InstanceProfileArn",
                  "arn:aws:iam::" + s.account_id + ":instance-profile/" + in->iam_role},
                 {"InstanceProfileId", "AIPA0EC2RKSIMPROFILE"}};
    tree["meta-data/iam/info"] = info.dump(2);
    if (rel == creds + in->iam_role) {
      TemporaryCredentials c =
          sim_.instance_credentials(in->id, in->iam_role, options_.credential_ttl_s);
      Json j = {{"Code", "Success"},
                {"LastUpdated", iso8601(c.issued_at_s)},
                {"Type", "AWS-HMAC"},
                {"AccessKeyId", c.access_key_id},
                {"SecretAccessKey", c.secret_access_key},
                {"Token", c.session_token},
                {"Expiration", iso8601(c.expires_at_s)}};
      return status(200, j.dump(2));
    }
  }
  if (rel == "meta-data") rel += '/';
  if (rel == "dynamic") rel += '/';
  if (rel.empty() || rel.back() == '/') {
    // A directory listing: one child per line, sub-directories with a trailing '/'.
    std::set<std::string> children;
    for (const auto& [key, value] : tree) {
      if (key.size() <= rel.size() || key.compare(0, rel.size(), rel) != 0) continue;
      std::string rest = key.substr(rel.size());
      size_t slash = rest.find('/');
      children.insert(slash == std::string::npos ? rest : rest.substr(0, slash + 1));
    }
    if (children.empty()) return status(404);
    return status(200, join_lines(std::vector<std::string>(children.begin(), children.end())));
  }
  auto it = tree.find(rel);
  if (it == tree.end()) return status(404);
  return status(200, it->second);
}

}  // namespace ec2rk::sim
