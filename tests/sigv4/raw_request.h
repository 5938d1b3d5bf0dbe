// Test helper: parses the SigV4 suites' raw HTTP text (.req/.sreq, request.txt,
// *-signed-request.txt) into a sigv4::Request. Header-only because the test folder builds only
// *_test.cpp files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sigv4/sigv4.h"

namespace ec2rk::sigv4::testing {

struct RawParse {
  std::optional<Request> request;  // set on success
  std::string error;               // why parsing failed, otherwise empty
};

// Request line: the method runs to the first space, the protocol starts at the LAST " HTTP/",
// everything between is the target (upstream has a target containing a space). Header lines are
// "Name:value" (value kept raw, leading space included); a line starting with a space or tab
// continues the previous header's value (joined with '\n', canonicalization folds it). An empty
// line ends the headers; the rest, byte for byte, is the body. Accepts LF or CRLF line ends.
inline RawParse parse_raw_request(std::string_view text) {
  RawParse out;
  auto fail = [&](std::string why) {
    out.request.reset();
    out.error = std::move(why);
    return out;
  };
  auto next_line = [&](std::string_view& rest, std::string_view& line) {
    if (rest.empty()) return false;
    size_t nl = rest.find('\n');
    line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  };

  std::string_view rest = text;
  std::string_view line;
  if (!next_line(rest, line) || line.empty()) return fail("missing request line");
  size_t sp = line.find(' ');
  size_t proto = line.rfind(" HTTP/");
  if (sp == std::string_view::npos || sp == 0) return fail("request line has no method");
  if (proto == std::string_view::npos || proto <= sp)
    return fail("request line has no \" HTTP/\" protocol");
  Request req;
  req.method = line.substr(0, sp);
  req.target = line.substr(sp + 1, proto - sp - 1);
  if (req.target.empty()) return fail("request line has an empty target");

  bool ended = false;
  while (next_line(rest, line)) {
    if (line.empty()) {
      ended = true;
      break;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (req.headers.empty()) return fail("continuation line before any header");
      req.headers.back().value.append("\n").append(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return fail("header line without ':': " + std::string(line));
    if (colon == 0) return fail("header line with an empty name");
    req.headers.push_back(
        Header{std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  if (ended) req.body = rest;
  out.request = std::move(req);
  return out;
}

// The request as suite text: request line, "Name:value" headers, empty line, body.
inline std::string to_raw_request(const Request& req) {
  std::string out = req.method + " " + req.target + " HTTP/1.1\n";
  for (const Header& h : req.headers) out += h.name + ":" + h.value + "\n";
  out += "\n" + req.body;
  return out;
}

}  // namespace ec2rk::sigv4::testing
