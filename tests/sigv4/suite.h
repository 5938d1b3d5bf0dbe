// Test helper: discovers SigV4 suite cases by walking directories and checks every stage of
// each against its expected files. Two layouts (see ../shared/testdata/sigv4/README.md):
//   classic  <case>/<case>.req .creq .sts .authz [.sreq] [context.json]
//   v4       <case>/context.json request.txt {header,query}-{canonical-request,string-to-sign,
//            signature,signed-request}.txt
// A directory holding any file of either layout is a case; a case that cannot be read or
// parsed is reported as a failure, never skipped. Header-only (the test folder builds only
// *_test.cpp files); uses nlohmann::json, which may throw, so every case runs under a catch.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "sigv4/sigv4.h"
#include "tests/sigv4/raw_request.h"

namespace ec2rk::sigv4::testing {

namespace fs = std::filesystem;

struct Failure {
  std::string case_path;  // the case directory (or suite root when the walk itself failed)
  std::string stage;      // "canonical request", "query string to sign", "read", ...
  std::string detail;
};

struct SuiteResult {
  int cases = 0;   // cases found (a v4 case with header and query variants counts once)
  int passed = 0;  // cases with no failure
  std::vector<Failure> failures;
};

// The README's common parameters, used by classic cases without a context.json.
inline constexpr std::string_view kDefaultAccessKey = "AKIDEXAMPLE";
inline constexpr std::string_view kDefaultSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kDefaultRegion = "us-east-1";
inline constexpr std::string_view kDefaultService = "service";
inline constexpr std::string_view kDefaultTime = "20150830T123600Z";

namespace suite_detail {

// Thrown inside one case's run only; caught by run_case and turned into a Failure.
struct CaseError {
  std::string stage;
  std::string detail;
};

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw CaseError{"read", "cannot open " + p.string()};
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw CaseError{"read", "cannot read " + p.string()};
  return ss.str();
}

inline Request parse_request_file(const fs::path& p, const std::string& stage) {
  RawParse parsed = parse_raw_request(read_file(p));
  if (!parsed.request) throw CaseError{stage, p.filename().string() + ": " + parsed.error};
  return *parsed.request;
}

inline bool is_case_file(const std::string& name) {
  for (std::string_view ext : {".req", ".creq", ".sts", ".authz", ".sreq"}) {
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      return true;
    }
  }
  return false;
}

inline bool is_v4_file(const std::string& name) {
  return name == "request.txt" || name == "context.json" ||
         ((name.rfind("header-", 0) == 0 || name.rfind("query-", 0) == 0) && name.size() > 4 &&
          name.compare(name.size() - 4, 4, ".txt") == 0);
}

enum class Layout { kNone, kClassic, kV4 };

struct Listing {
  Layout layout = Layout::kNone;
  std::vector<std::string> files;  // regular file names in the directory, sorted
};

inline Listing list_dir(const fs::path& dir) {
  Listing out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) out.files.push_back(it->path().filename().string());
  }
  if (ec) throw CaseError{"read", "cannot list " + dir.string() + ": " + ec.message()};
  std::sort(out.files.begin(), out.files.end());
  bool classic = false, v4 = false, request_txt = false;
  for (const std::string& f : out.files) {
    classic |= is_case_file(f);
    v4 |= is_v4_file(f);
    request_txt |= f == "request.txt";
  }
  // context.json also sits in classic cases (ec2-derived, aws-docs-examples).
  if (classic && request_txt)
    throw CaseError{"read", "holds both a .req-style and a request.txt case"};
  out.layout = classic ? Layout::kClassic : v4 ? Layout::kV4 : Layout::kNone;
  return out;
}

struct Inputs {
  Credentials creds;
  SigningParams params;
  bool has_token = false;  // context.json named a token
};

inline int64_t parse_iso_time(const std::string& iso) {
  // "2015-08-30T12:36:00Z" -> the amz form without separators.
  std::string compact;
  for (char c : iso) {
    if (c != '-' && c != ':') compact.push_back(c);
  }
  auto t = parse_amz_date(compact);
  if (!t) throw CaseError{"context.json", "timestamp is not yyyy-mm-ddThh:mm:ssZ: " + iso};
  return *t;
}

// Reads context.json into `in`; absent optional fields keep their current values.
inline void read_context(const fs::path& file, Inputs& in) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(file));
    const auto& c = j.at("credentials");
    in.creds.access_key_id = c.at("access_key_id").get<std::string>();
    in.creds.secret_access_key = c.at("secret_access_key").get<std::string>();
    if (c.contains("token")) {
      in.creds.session_token = c.at("token").get<std::string>();
      in.has_token = true;
    }
    in.params.region = j.at("region").get<std::string>();
    in.params.service = j.at("service").get<std::string>();
    in.params.unix_time = parse_iso_time(j.at("timestamp").get<std::string>());
    if (j.contains("normalize")) in.params.normalize_path = j.at("normalize").get<bool>();
    if (j.contains("sign_body")) in.params.sign_body = j.at("sign_body").get<bool>();
    if (j.contains("omit_session_token")) {
      in.params.omit_session_token = j.at("omit_session_token").get<bool>();
    }
    if (j.contains("expiration_in_seconds")) {
      in.params.expires_in = j.at("expiration_in_seconds").get<int64_t>();
    }
  } catch (const nlohmann::json::exception& e) {
    throw CaseError{"context.json", e.what()};
  }
}

inline std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

inline std::optional<std::string> header_value(const Request& r, std::string_view name) {
  for (const Header& h : r.headers) {
    std::string lower = h.name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == name) return h.value;
  }
  return std::nullopt;
}

// "a\nb" -> "a\\nb" so a mismatch reads on one line.
inline std::string show(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class CaseRun {
 public:
  explicit CaseRun(std::string path) : path_(std::move(path)) {}

  void expect_equal(const std::string& stage, std::string_view got, std::string_view want) {
    if (got != want) fail(stage, "expected <" + show(want) + "> got <" + show(got) + ">");
  }
  void fail(const std::string& stage, const std::string& detail) {
    failures_.push_back(Failure{path_, stage, detail});
  }

  // Signed requests compare as: request line exact, body exact, headers as a multiset of
  // (lower-case name, trimmed value): header order and "Authorization: " spacing are not normative.
  void expect_same_request(const std::string& stage, const Request& got, const Request& want) {
    expect_equal(stage + " line", got.method + " " + got.target, want.method + " " + want.target);
    expect_equal(stage + " body", got.body, want.body);
    auto norm = [](const Request& r) {
      std::vector<std::string> lines;
      for (const Header& h : r.headers) {
        std::string name = h.name;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        lines.push_back(name + ":" + trim(h.value));
      }
      std::sort(lines.begin(), lines.end());
      std::string joined;
      for (const auto& l : lines) joined += l + "\n";
      return joined;
    };
    expect_equal(stage + " headers", norm(got), norm(want));
  }

  // The verifier must accept what the signer produced (header signing, normalized paths).
  void expect_verifies(const std::string& stage, const Signed& s, const Inputs& in) {
    auto auth = parse_authorization(s.authorization);
    if (!auth) return fail(stage, "parse_authorization rejected " + s.authorization);
    bool host = false, date = false;
    for (const auto& h : auth->signed_headers) {
      host |= h == "host";
      date |= h == "x-amz-date";
    }
    if (!in.params.normalize_path || !host || !date) return;  // outside the verifier's contract
    std::string token = in.params.omit_session_token ? "" : in.creds.session_token;
    expect_equal(stage, expected_signature(s.request, *auth, in.creds.secret_access_key, token),
                 s.signature);
  }

  std::vector<Failure> take() { return std::move(failures_); }

 private:
  std::string path_;
  std::vector<Failure> failures_;
};

inline void run_classic(const fs::path& dir, const Listing& listing, CaseRun& run) {
  std::vector<std::string> reqs;
  for (const auto& f : listing.files) {
    if (f.size() > 4 && f.compare(f.size() - 4, 4, ".req") == 0) reqs.push_back(f);
  }
  if (reqs.size() != 1) {
    throw CaseError{"read", "expected exactly one .req file, found " + std::to_string(reqs.size())};
  }
  const std::string stem = reqs[0].substr(0, reqs[0].size() - 4);
  Request req = parse_request_file(dir / reqs[0], "request");
  const std::string creq = read_file(dir / (stem + ".creq"));
  const std::string sts = read_file(dir / (stem + ".sts"));
  const std::string authz = read_file(dir / (stem + ".authz"));
  std::optional<Request> sreq;
  if (fs::exists(dir / (stem + ".sreq")))
    sreq = parse_request_file(dir / (stem + ".sreq"), "signed request");

  Inputs in;
  in.creds.access_key_id = kDefaultAccessKey;
  in.creds.secret_access_key = kDefaultSecret;
  in.params.region = kDefaultRegion;
  in.params.service = kDefaultService;
  // The classic .req already carries its X-Amz-Date: that is the signing time.
  std::string when = std::string(kDefaultTime);
  if (auto d = header_value(req, "x-amz-date")) when = trim(*d);
  auto t = parse_amz_date(when);
  if (!t) throw CaseError{"request", "X-Amz-Date is not yyyymmddThhmmssZ: " + when};
  in.params.unix_time = *t;
  if (fs::exists(dir / "context.json")) read_context(dir / "context.json", in);

  if (!in.has_token && !header_value(req, "x-amz-security-token")) {
    // Upstream quirks (README "Known quirks"): a token the .req lacks is signed when the .creq
    // shows it (get-vanilla-with-session-token), or added after signing when only the .sreq
    // shows it (post-sts-header-after).
    const std::string marker = "\nx-amz-security-token:";
    if (size_t at = creq.find(marker); at != std::string::npos) {
      size_t start = at + marker.size();
      in.creds.session_token = creq.substr(start, creq.find('\n', start) - start);
    } else if (sreq) {
      if (auto tok = header_value(*sreq, "x-amz-security-token")) {
        in.creds.session_token = trim(*tok);
        in.params.omit_session_token = true;
      }
    }
  }

  Signed s = sign(req, in.creds, in.params);
  run.expect_equal("canonical request", s.canonical_request, creq);
  run.expect_equal("string to sign", s.string_to_sign, sts);
  run.expect_equal("authorization", s.authorization, authz);
  // Each stage also from the expected previous stage, so a failure points at one step.
  run.expect_equal("string to sign (from expected canonical request)",
                   string_to_sign(in.params, creq), sts);
  size_t sig_at = authz.rfind("Signature=");
  if (sig_at == std::string::npos) throw CaseError{"authorization", ".authz has no Signature="};
  SigningKey key = derive_signing_key(in.creds.secret_access_key, scope_date(in.params.unix_time),
                                      in.params.region, in.params.service);
  run.expect_equal("signature (from expected string to sign)", signature(key, sts),
                   authz.substr(sig_at + 10));
  if (sreq) {
    auto shown = header_value(*sreq, "authorization");
    if (!shown) {
      run.fail("signed request", ".sreq has no Authorization header");
    } else if (trim(*shown) == authz) {
      run.expect_same_request("signed request", s.request, *sreq);
    }
    // else: the .sreq disagrees with its own .authz (upstream get-vanilla-with-session-token
    // shows the get-vanilla signature); the .authz is authoritative, nothing to compare.
  }
  run.expect_verifies("verify", s, in);
}

inline void run_v4(const fs::path& dir, const Listing& listing, CaseRun& run) {
  auto has = [&](const std::string& f) {
    return std::find(listing.files.begin(), listing.files.end(), f) != listing.files.end();
  };
  if (!has("request.txt")) throw CaseError{"read", "missing request.txt"};
  if (!has("context.json")) throw CaseError{"read", "missing context.json"};
  Request req = parse_request_file(dir / "request.txt", "request");
  Inputs in;
  read_context(dir / "context.json", in);

  static constexpr std::string_view kParts[] = {"canonical-request", "string-to-sign", "signature",
                                                "signed-request"};
  int variants = 0;
  for (const std::string variant : {"header", "query"}) {
    int present = 0;
    for (auto part : kParts) present += has(variant + "-" + std::string(part) + ".txt");
    if (present == 0) continue;
    ++variants;
    // read_file throws for the missing ones: a partial variant is a broken case.
    std::string files[4];
    for (int i = 0; i < 4; ++i)
      files[i] = read_file(dir / (variant + "-" + std::string(kParts[i]) + ".txt"));
    Request expected =
        parse_request_file(dir / (variant + "-signed-request.txt"), variant + " signed request");

    Signed s =
        variant == "header" ? sign(req, in.creds, in.params) : presign(req, in.creds, in.params);
    run.expect_equal(variant + " canonical request", s.canonical_request, files[0]);
    run.expect_equal(variant + " string to sign", s.string_to_sign, files[1]);
    run.expect_equal(variant + " signature", s.signature, files[2]);
    run.expect_equal(variant + " string to sign (from expected canonical request)",
                     string_to_sign(in.params, files[0]), files[1]);
    SigningKey key = derive_signing_key(in.creds.secret_access_key, scope_date(in.params.unix_time),
                                        in.params.region, in.params.service);
    run.expect_equal(variant + " signature (from expected string to sign)",
                     signature(key, files[1]), files[2]);
    run.expect_same_request(variant + " signed request", s.request, expected);
    if (variant == "header") run.expect_verifies("header verify", s, in);
  }
  if (variants == 0) throw CaseError{"read", "no header-* or query-* expected files"};
}

inline std::vector<Failure> run_case(const fs::path& dir, const Listing& listing) {
  CaseRun run(dir.string());
  try {
    if (listing.layout == Layout::kClassic) {
      run_classic(dir, listing, run);
    } else {
      run_v4(dir, listing, run);
    }
  } catch (const CaseError& e) {
    run.fail(e.stage, e.detail);
  } catch (const std::exception& e) {
    run.fail("read", e.what());
  }
  return run.take();
}

}  // namespace suite_detail

// Runs every case in `root` and below (root itself may be a case directory).
inline SuiteResult run_suite_dir(const fs::path& root) {
  using namespace suite_detail;
  SuiteResult result;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    result.failures.push_back(Failure{root.string(), "read", "not a directory"});
    return result;
  }
  std::vector<fs::path> dirs{root};
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) dirs.push_back(it->path());
  }
  if (ec) result.failures.push_back(Failure{root.string(), "read", "walk failed: " + ec.message()});
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    Listing listing;
    try {
      listing = list_dir(dir);
    } catch (const CaseError& e) {
      ++result.cases;
      result.failures.push_back(Failure{dir.string(), e.stage, e.detail});
      continue;
    }
    if (listing.layout == Layout::kNone) continue;
    ++result.cases;
    auto failures = run_case(dir, listing);
    if (failures.empty()) ++result.passed;
    for (auto& f : failures) result.failures.push_back(std::move(f));
  }
  return result;
}

// "a:b::c" -> {"a", "b", "c"} (empty entries dropped).
inline std::vector<std::string> split_suite_list(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(':', start);
    if (end == std::string_view::npos) end = list.size();
    if (end > start) out.emplace_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The shared suite plus every directory in EC2RK_SIGV4_SUITES.
inline std::vector<fs::path> suite_dirs() {
  std::vector<fs::path> dirs{fs::path(EC2RK_SHARED_TESTDATA) / "sigv4"};
  if (const char* extra = std::getenv("EC2RK_SIGV4_SUITES")) {
    for (auto& d : split_suite_list(extra)) dirs.emplace_back(d);
  }
  return dirs;
}

}  // namespace ec2rk::sigv4::testing
