// Helpers for the simulator's unit tests: the example scenario, SigV4-signed requests made
// with the project's signer, and XML lookups through pugixml.
#pragma once

#include <doctest/doctest.h>

#include <pugixml.hpp>
#include <string>
#include <vector>

#include "sigv4/sigv4.h"
#include "sim/params.h"
#include "sim/state.h"

namespace ec2rk::sim::testing {

inline constexpr const char* kKey = "AKIDEXAMPLE";
inline constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// Example ids used throughout the tests.
inline constexpr const char* kVpc = "vpc-0ec20000000000001";
inline constexpr const char* kNode1 = "i-0ec20000000000a11";
inline constexpr const char* kNode2 = "i-0ec20000000000b12";
inline constexpr const char* kNode1Eth0 = "eni-0ec20000000000a11";
inline constexpr const char* kNode1Eth1 = "eni-0ec20000000001a11";
inline constexpr const char* kNode2Eth0 = "eni-0ec20000000000b12";
inline constexpr const char* kNode2Eth1 = "eni-0ec20000000001b12";
inline constexpr const char* kPrivateA = "rtb-0ec20000000000a02";
inline constexpr const char* kPrivateB = "rtb-0ec20000000000b02";
inline constexpr const char* kPublicA = "rtb-0ec20000000000a01";
inline constexpr const char* kMainTable = "rtb-0ec20000000000001";
inline constexpr const char* kEip = "eipalloc-0ec20000000000001";
inline constexpr const char* kEipAssoc = "eipassoc-0ec20000000000001";
inline constexpr const char* kSpareEip = "eipalloc-0ec20000000000002";

inline Scenario example() {
  auto sc = load_scenario("example");
  REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message));
  return std::move(sc.value());
}

inline Params form(const std::string& body) {
  return Params(parse_form(body));
}

struct SignOptions {
  std::string key = kKey;
  std::string secret = kSecret;
  std::string token;
  std::string region = "us-east-1";
  std::string service = "ec2";
};

// A POST / with a form body, signed as botocore does, at `unix_time`.
inline sigv4::Request signed_post(const std::string& body, int64_t unix_time,
                                  const SignOptions& o = {}) {
  sigv4::Request req;
  req.method = "POST";
  req.target = "/";
  req.headers = {{"Host", "127.0.0.1:8080"},
                 {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = body;
  sigv4::SigningParams p;
  p.region = o.region;
  p.service = o.service;
  p.unix_time = unix_time;
  sigv4::Credentials c{o.key, o.secret, o.token};
  return sigv4::sign(req, c, p).request;
}

// A GET /?query signed the same way.
inline sigv4::Request signed_get(const std::string& query, int64_t unix_time,
                                 const SignOptions& o = {}) {
  sigv4::Request req;
  req.method = "GET";
  req.target = "/?" + query;
  req.headers = {{"Host", "127.0.0.1:8080"}};
  sigv4::SigningParams p;
  p.region = o.region;
  p.service = o.service;
  p.unix_time = unix_time;
  sigv4::Credentials c{o.key, o.secret, o.token};
  return sigv4::sign(req, c, p).request;
}

inline pugi::xml_document parse_xml(const std::string& xml) {
  pugi::xml_document doc;
  auto ok = doc.load_string(xml.c_str());
  REQUIRE_MESSAGE(ok, xml);
  return doc;
}

// Text of every element reached by a '/'-separated path of local names below the root.
inline std::vector<std::string> texts(const std::string& xml, const std::string& path) {
  pugi::xml_document doc = parse_xml(xml);
  std::vector<pugi::xml_node> level{doc.document_element()};
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    std::string name = path.substr(pos, slash - pos);
    std::vector<pugi::xml_node> next;
    for (auto n : level) {
      for (auto c : n.children(name.c_str())) next.push_back(c);
    }
    level = std::move(next);
    pos = slash + 1;
  }
  std::vector<std::string> out;
  for (auto n : level) out.emplace_back(n.text().get());
  return out;
}

inline std::string error_code(const std::string& xml) {
  auto v = texts(xml, "Errors/Error/Code");
  return v.empty() ? "" : v.front();
}

}  // namespace ec2rk::sim::testing
