// A scripted HttpTransport for tests. Stubs answer requests in FIFO order per key:
// EC2 calls are keyed by their Action (decoded from the form body), other requests
// by "METHOD /path" (e.g. "PUT /latest/api/token"). Every request is recorded.
// The test FAILS on a request no stub matches and, at destruction, on stubs left unused.
#pragma once

#include <doctest/doctest.h>

#include <cctype>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ec2api/http.h"

namespace ec2rk::testing {

// Decodes application/x-www-form-urlencoded ('+' is a space, %XX bytes).
inline std::vector<std::pair<std::string, std::string>> decode_form_body(std::string_view body) {
  auto unescape = [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size() &&
                 std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(pos, amp - pos);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(unescape(pair), "");
    } else {
      out.emplace_back(unescape(pair.substr(0, eq)), unescape(pair.substr(eq + 1)));
    }
    pos = amp + 1;
  }
  return out;
}

// The value of form parameter `name` in a request body, or nullopt.
inline std::optional<std::string> form_param(const ec2api::HttpRequest& r, std::string_view name) {
  for (auto& [k, v] : decode_form_body(r.body)) {
    if (k == name) return v;
  }
  return std::nullopt;
}

// The first header `name` (case-insensitive) of a request, or "".
inline std::string request_header(const ec2api::HttpRequest& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (h.name.size() == name.size() &&
        std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return h.value;
    }
  }
  return {};
}

// "METHOD /path" of a non-EC2 request, without scheme, host and query.
inline std::string method_and_path(const ec2api::HttpRequest& r) {
  std::string_view url = r.url;
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  auto slash = url.find('/');
  std::string_view path = slash == std::string_view::npos ? "/" : url.substr(slash);
  path = path.substr(0, path.find('?'));
  return r.method + " " + std::string(path);
}

class FakeTransport : public ec2api::HttpTransport {
 public:
  struct Stub {
    std::optional<ec2api::HttpResponse> response;
    std::optional<Error> error;  // a transport failure (kNetwork/kTimeout) instead
    // Optional check on the request this stub answers (e.g. a header must be present).
    std::function<void(const ec2api::HttpRequest&)> check;
  };

  FakeTransport() = default;
  FakeTransport(const FakeTransport&) = delete;
  FakeTransport& operator=(const FakeTransport&) = delete;

  ~FakeTransport() override {
    for (const auto& [key, queue] : stubs_) {
      if (!queue.empty()) {
        FAIL_CHECK("FakeTransport: " << queue.size() << " unused stub(s) for '" << key << "'");
      }
    }
  }

  // Queues an HTTP response for the next request keyed `key` (an EC2 Action, or
  // "METHOD /path"). Headers e.g. {{"Date", "..."}}.
  FakeTransport& on(std::string key, int status, std::string body,
                    std::vector<ec2api::HttpHeader> headers = {},
                    std::function<void(const ec2api::HttpRequest&)> check = {}) {
    ec2api::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    stubs_[std::move(key)].push_back(Stub{std::move(r), std::nullopt, std::move(check)});
    return *this;
  }

  // Queues a transport failure (no HTTP response) for the next request keyed `key`.
  FakeTransport& fail(std::string key, ErrorKind kind, std::string message = "connection reset") {
    stubs_[std::move(key)].push_back(Stub{std::nullopt, make_error(kind, std::move(message)), {}});
    return *this;
  }

  std::vector<Result<ec2api::HttpResponse>> send_all(
      const std::vector<ec2api::HttpRequest>& requests) override {
    batch_sizes.push_back(requests.size());
    std::vector<Result<ec2api::HttpResponse>> out;
    for (const ec2api::HttpRequest& r : requests) {
      requests_.push_back(r);
      std::string key = key_of(r);
      auto it = stubs_.find(key);
      if (it == stubs_.end() || it->second.empty()) {
        FAIL_CHECK("FakeTransport: unexpected request '" << key << "' to " << r.url);
        out.emplace_back(make_error(ErrorKind::kNetwork, "FakeTransport: no stub for " + key));
        continue;
      }
      Stub stub = std::move(it->second.front());
      it->second.pop_front();
      if (stub.check) stub.check(r);
      if (stub.error) {
        out.emplace_back(*stub.error);
      } else {
        out.emplace_back(*stub.response);
      }
    }
    return out;
  }

  // Every request sent, in order.
  const std::vector<ec2api::HttpRequest>& requests() const { return requests_; }
  // The requests keyed `key`, in order.
  std::vector<ec2api::HttpRequest> requests_for(std::string_view key) const {
    std::vector<ec2api::HttpRequest> out;
    for (const auto& r : requests_) {
      if (key_of(r) == key) out.push_back(r);
    }
    return out;
  }
  size_t pending() const {
    size_t n = 0;
    for (const auto& [k, q] : stubs_) n += q.size();
    return n;
  }

  std::vector<size_t> batch_sizes;  // requests per send_all, in order

  static std::string key_of(const ec2api::HttpRequest& r) {
    if (r.method == "POST") {
      if (auto action = form_param(r, "Action")) return *action;
    }
    return method_and_path(r);
  }

 private:
  std::map<std::string, std::deque<Stub>> stubs_;
  std::vector<ec2api::HttpRequest> requests_;
};

}  // namespace ec2rk::testing
