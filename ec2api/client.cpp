// Ec2Client: every attempt is signed afresh (SigV4, header signing) and sent
// through HttpTransport::send_all; independent calls share rounds. Retries follow
// the SDKs' standard mode (retry.h); clock skew and IMDS credential expiry get one
// immediate extra attempt each.
#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

#include "ec2api/client.h"
#include "ec2api/endpoint.h"
#include "ec2api/redact.h"
#include "ec2api/retry.h"
#include "ec2api/timefmt.h"
#include "ec2api/xml.h"

namespace ec2rk::ec2api {
namespace {

constexpr std::string_view kContentType = "application/x-www-form-urlencoded; charset=utf-8";
// aws-sdk-cpp's threshold: a server Date this far from our clock means our clock is wrong.
constexpr int64_t kSkewThresholdSeconds = 4 * 60;

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

std::string_view retry_class_name(RetryClass c) {
  switch (c) {
    case RetryClass::kThrottle: return "throttled";
    case RetryClass::kTimeout: return "timed out";
    case RetryClass::kTransient: return "transient";
    case RetryClass::kNone: break;
  }
  return "not retryable";
}

// One logical call and its retry bookkeeping.
struct PendingCall {
  size_t index = 0;
  const Query* query = nullptr;
  std::string body;
  int sent = 0;        // attempts sent
  int counted = 0;     // attempts that count toward max_attempts (not the immediate extras)
  int retry_cost = 0;  // quota taken for the retry now in flight
  bool skew_retry_used = false;
  int64_t signed_offset = 0;  // the clock correction the attempt in flight was signed with
  bool credentials_refresh_used = false;
  Clock::Instant due{};
};

}  // namespace

struct Ec2Client::State {
  Result<Url> endpoint = make_error(ErrorKind::kConfig, "no endpoint");
  RetryQuota quota;
  int64_t applied_offset = 0;             // seconds added to the local clock when signing
  std::optional<int64_t> observed_offset;  // server Date minus local time, last seen
  std::mt19937_64 rng{std::random_device{}()};
  std::vector<std::string> known_secrets;  // for the trace's last-resort scrubbing
};

Ec2Client::Ec2Client(ClientOptions options, std::shared_ptr<HttpTransport> transport,
                     std::shared_ptr<CredentialsProvider> credentials, Clock& clock,
                     TraceSink trace)
    : options_(std::move(options)),
      transport_(std::move(transport)),
      credentials_(std::move(credentials)),
      clock_(clock),
      trace_(std::move(trace)),
      state_(std::make_unique<State>()) {
  state_->endpoint = check_endpoint_url(options_.endpoint_url, "endpoint");
  if (options_.max_attempts < 1) options_.max_attempts = 1;
}

Ec2Client::~Ec2Client() {
  for (std::string& s : state_->known_secrets) sigv4::secure_wipe(s);
}

Result<RawResponse> Ec2Client::call(const Query& query) {
  auto results = call_all({query});
  return std::move(results.front());
}

std::vector<Result<RawResponse>> Ec2Client::call_all(const std::vector<Query>& queries) {
  std::vector<std::optional<Result<RawResponse>>> results(queries.size());
  auto trace = [this](const std::string& line) {
    if (trace_) trace_(redact(line, state_->known_secrets));
  };
  auto finish = [&](PendingCall& c, Result<RawResponse> r) { results[c.index] = std::move(r); };

  if (!state_->endpoint.ok()) {
    std::vector<Result<RawResponse>> out;
    for (size_t i = 0; i < queries.size(); ++i) out.emplace_back(state_->endpoint.error());
    return out;
  }
  const Url& endpoint = state_->endpoint.value();
  const std::string target = endpoint.path.empty() ? "/" : endpoint.path;
  const std::string url = endpoint.origin() + target;

  std::vector<PendingCall> calls(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    calls[i].index = i;
    calls[i].query = &queries[i];
    calls[i].body = encode_body(queries[i]);
    calls[i].due = clock_.now();
  }
  auto jitter = [this] {
    if (options_.jitter) return options_.jitter();
    return std::uniform_real_distribution<double>(0.0, 1.0)(state_->rng);
  };
  bool refresh_credentials = false;

  for (;;) {
    std::vector<PendingCall*> open;
    for (PendingCall& c : calls) {
      if (!results[c.index]) open.push_back(&c);
    }
    if (open.empty()) break;
    Clock::Instant now = clock_.now();
    if (options_.deadline && now >= *options_.deadline) {
      for (PendingCall* c : open) {
        finish(*c, make_error(ErrorKind::kTimeout,
                              c->query->action + ": the deadline passed before it could be sent"));
      }
      break;
    }
    std::vector<PendingCall*> due;
    Clock::Instant next_due = open.front()->due;
    for (PendingCall* c : open) {
      if (c->due <= now) due.push_back(c);
      next_due = std::min(next_due, c->due);
    }
    if (due.empty()) {
      // Scheduling never puts a retry past the deadline, so this sleep cannot either.
      clock_.sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(next_due - now));
      continue;
    }

    auto creds = credentials_ ? credentials_->get(refresh_credentials)
                              : Result<sigv4::Credentials>(make_error(
                                    ErrorKind::kCredentials, "no credentials provider"));
    refresh_credentials = false;
    if (!creds) {
      for (PendingCall* c : due) finish(*c, creds.error());
      continue;
    }
    for (const std::string& s : {creds->secret_access_key, creds->session_token}) {
      if (!s.empty() && std::find(state_->known_secrets.begin(), state_->known_secrets.end(), s) ==
                            state_->known_secrets.end()) {
        state_->known_secrets.push_back(s);
      }
    }

    // Sign each due call afresh: a new X-Amz-Date per attempt, with any skew correction.
    const int64_t signing_time = clock_.unix_time() + state_->applied_offset;
    std::vector<HttpRequest> requests;
    for (PendingCall* c : due) {
      ++c->sent;
      ++c->counted;
      c->signed_offset = state_->applied_offset;
      sigv4::Request req;
      req.method = "POST";
      req.target = target;
      req.headers = {{"Host", endpoint.host_header()}, {"Content-Type", std::string(kContentType)}};
      req.body = c->body;
      sigv4::SigningParams params;
      params.region = options_.region;
      params.service = "ec2";
      params.unix_time = signing_time;
      sigv4::Signed s = sigv4::sign(req, *creds, params);
      HttpRequest http;
      http.method = "POST";
      http.url = url;
      for (sigv4::Header& h : s.request.headers) http.headers.push_back({h.name, h.value});
      http.body = c->body;
      if (options_.deadline) {
        http.timeout = std::max(std::chrono::milliseconds(1),
                                std::chrono::duration_cast<std::chrono::milliseconds>(
                                    *options_.deadline - now));
      }
      if (trace_) {
        trace("POST " + url + " " + c->query->action + " attempt " + std::to_string(c->sent) +
              (c->sent == c->counted ? "/" + std::to_string(options_.max_attempts) : "") +
              " (credentials: " + credentials_->source() + ")");
        for (const HttpHeader& h : http.headers) trace("  > " + h.name + ": " + h.value);
        trace("  > " + c->body);
      }
      requests.push_back(std::move(http));
    }

    std::vector<Result<HttpResponse>> responses = transport_->send_all(requests);
    const int64_t local_after = clock_.unix_time();
    now = clock_.now();

    for (size_t i = 0; i < due.size(); ++i) {
      PendingCall& c = *due[i];
      Result<HttpResponse>& response = responses[i];
      Error err;
      if (response.ok()) {
        const HttpResponse& r = response.value();
        if (auto server = parse_http_date(r.header("Date"))) {
          state_->observed_offset = *server - local_after;
        }
        std::string request_id = parse_request_id(r.body);
        if (request_id.empty()) request_id = r.header("x-amzn-requestid");
        if (r.status >= 200 && r.status < 300) {
          trace("  < " + std::to_string(r.status) + " in " + ms_text(r.elapsed) +
                ", request id " + (request_id.empty() ? "-" : request_id));
          state_->quota.on_success(c.retry_cost);
          finish(c, RawResponse{r.status, r.body, request_id});
          continue;
        }
        err = parse_error_response(r.status, r.body);
        err.http_status = r.status;
        if (err.request_id.empty()) err.request_id = request_id;
        trace("  < " + std::to_string(r.status) + " " + err.aws_code + " in " + ms_text(r.elapsed) +
              ", request id " + (err.request_id.empty() ? "-" : err.request_id));
      } else {
        err = response.error();
        trace("  < no response: " + err.message);
      }

      // Clock skew: the server's Date says our clock is off by minutes. Re-sign now.
      // Compared with the offset this call was signed with, not the current one: in a batch
      // the first skew error corrects the clock, and its siblings were signed before that.
      if (is_clock_skew_code(err.aws_code) && !c.skew_retry_used && state_->observed_offset &&
          std::llabs(*state_->observed_offset - c.signed_offset) >= kSkewThresholdSeconds) {
        c.skew_retry_used = true;
        --c.counted;
        // One warning per correction, not one per call of the batch that was signed before it.
        const bool corrected_now = state_->applied_offset != *state_->observed_offset;
        state_->applied_offset = *state_->observed_offset;
        std::string skew = "the local clock is " + std::to_string(std::llabs(state_->applied_offset)) +
                           " s " + (state_->applied_offset > 0 ? "behind" : "ahead of") +
                           " EC2's clock; re-signing with corrected time. Fix time sync (chrony/NTP).";
        trace("  !! CLOCK SKEW: " + skew);
        if (options_.warn && corrected_now) options_.warn(skew);
        c.due = now;
        continue;
      }
      // Temporary credentials from IMDS may have been rotated or revoked: fetch once more.
      if (is_credentials_code(err.aws_code) && !c.credentials_refresh_used && credentials_ &&
          credentials_->source() == "imds") {
        c.credentials_refresh_used = true;
        --c.counted;
        refresh_credentials = true;
        trace("  retry now with refreshed instance-profile credentials");
        c.due = now;
        continue;
      }

      RetryClass cls = classify_for_retry(err);
      // A final transport timeout is a network failure, unless the deadline cut it.
      auto final_error = [&](Error e, const std::string& why) {
        if (e.kind == ErrorKind::kTimeout && !(options_.deadline && now >= *options_.deadline)) {
          e.kind = ErrorKind::kNetwork;
        }
        trace("  giving up: " + why);
        if (c.sent > 1) e.message += " (after " + std::to_string(c.sent) + " attempts)";
        finish(c, std::move(e));
      };
      if (cls == RetryClass::kNone) {
        final_error(std::move(err), "not retryable");
        continue;
      }
      if (c.counted >= options_.max_attempts) {
        final_error(std::move(err), std::to_string(c.counted) + " of " +
                                        std::to_string(options_.max_attempts) + " attempts used");
        continue;
      }
      std::chrono::milliseconds delay = backoff_delay(c.counted, jitter(), options_.max_backoff);
      if (options_.deadline && now + delay > *options_.deadline) {
        trace("  giving up: a retry in " + ms_text(delay) + " would pass the deadline");
        err.kind = ErrorKind::kTimeout;
        err.message += " (deadline reached after " + std::to_string(c.sent) + " attempt" +
                       (c.sent == 1 ? "" : "s") + ")";
        finish(c, std::move(err));
        continue;
      }
      int cost = state_->quota.acquire(cls);
      if (cost == 0) {
        final_error(std::move(err), "the client's retry quota is exhausted");
        continue;
      }
      c.retry_cost = cost;
      c.due = now + delay;
      trace("  retry " + std::to_string(c.counted + 1) + "/" + std::to_string(options_.max_attempts) +
            " in " + ms_text(delay) + " (" + std::string(retry_class_name(cls)) + "; retry quota " +
            std::to_string(state_->quota.available()) + ")");
    }
  }

  std::vector<Result<RawResponse>> out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

namespace {

// Follows NextToken until the last page, appending each page to the first with `join`.
// Stops with kParse on a repeated token or past max_pages.
template <class Response, class Request, class Parse, class Join>
Result<Response> paginate(Ec2Client& client, const Request& request, Parse parse, Join join) {
  std::set<std::string> seen;
  std::optional<Response> all;
  std::string token;
  for (int page = 1;; ++page) {
    if (page > client.options().max_pages) {
      return make_error(ErrorKind::kParse, "EC2 returned more than " +
                                               std::to_string(client.options().max_pages) +
                                               " pages; stopping");
    }
    Query q = to_query(request);
    if (page > 1) {
      std::erase_if(q.params, [](const auto& p) { return p.first == "NextToken"; });
      q.add("NextToken", token);
    }
    auto raw = client.call(q);
    if (!raw) return raw.error();
    Result<Response> parsed = parse(raw->body);
    if (!parsed) return parsed.error();
    std::string next = parsed->next_token;
    if (!all) {
      all = std::move(parsed.value());
    } else {
      join(*all, parsed.value());
    }
    if (next.empty()) break;
    if (!seen.insert(next).second) {
      return make_error(ErrorKind::kParse, q.action + ": EC2 returned the same NextToken twice; stopping");
    }
    token = next;
  }
  all->next_token.clear();
  return std::move(*all);
}

template <class Response, class Parse>
Result<Response> single(Ec2Client& client, const Query& q, Parse parse) {
  auto raw = client.call(q);
  if (!raw) return raw.error();
  return parse(raw->body);
}

template <class T>
void append(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

Result<DescribeRouteTablesResponse> Ec2Client::describe_route_tables(
    const DescribeRouteTablesRequest& r) {
  return paginate<DescribeRouteTablesResponse>(
      *this, r, parse_describe_route_tables,
      [](auto& all, auto& page) { append(all.route_tables, page.route_tables); });
}

Result<CreateRouteResponse> Ec2Client::create_route(const CreateRouteRequest& r) {
  return single<CreateRouteResponse>(*this, to_query(r), parse_return);
}

Result<ReplaceRouteResponse> Ec2Client::replace_route(const ReplaceRouteRequest& r) {
  return single<ReplaceRouteResponse>(*this, to_query(r), parse_return);
}

Result<DescribeAddressesResponse> Ec2Client::describe_addresses(const DescribeAddressesRequest& r) {
  return single<DescribeAddressesResponse>(*this, to_query(r), parse_describe_addresses);
}

Result<AssociateAddressResponse> Ec2Client::associate_address(const AssociateAddressRequest& r) {
  return single<AssociateAddressResponse>(*this, to_query(r), parse_associate_address);
}

Result<DisassociateAddressResponse> Ec2Client::disassociate_address(
    const DisassociateAddressRequest& r) {
  return single<DisassociateAddressResponse>(*this, to_query(r), parse_return);
}

Result<DescribeNetworkInterfacesResponse> Ec2Client::describe_network_interfaces(
    const DescribeNetworkInterfacesRequest& r) {
  return paginate<DescribeNetworkInterfacesResponse>(
      *this, r, parse_describe_network_interfaces,
      [](auto& all, auto& page) { append(all.network_interfaces, page.network_interfaces); });
}

Result<ModifyNetworkInterfaceAttributeResponse> Ec2Client::modify_network_interface_attribute(
    const ModifyNetworkInterfaceAttributeRequest& r) {
  return single<ModifyNetworkInterfaceAttributeResponse>(*this, to_query(r), parse_return);
}

Result<DescribeInstancesResponse> Ec2Client::describe_instances(const DescribeInstancesRequest& r) {
  return paginate<DescribeInstancesResponse>(
      *this, r, parse_describe_instances,
      [](auto& all, auto& page) { append(all.instances, page.instances); });
}

Result<DescribeVpcsResponse> Ec2Client::describe_vpcs(const DescribeVpcsRequest& r) {
  return paginate<DescribeVpcsResponse>(
      *this, r, parse_describe_vpcs, [](auto& all, auto& page) { append(all.vpcs, page.vpcs); });
}

}  // namespace ec2rk::ec2api
