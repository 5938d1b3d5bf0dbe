// The EC2 client: signs (SigV4) and sends Query calls with standard-mode retries,
// parses responses into the typed model. Thread-compatible: one client per thread,
// or use call_all() for concurrent calls over shared connections.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ec2api/clock.h"
#include "ec2api/env.h"
#include "ec2api/http.h"
#include "ec2api/model.h"
#include "ec2api/query.h"
#include "ec2api/result.h"
#include "sigv4/sigv4.h"

namespace ec2rk::ec2api {

// Receives --debug trace lines. Lines are already redacted (no secrets, tokens, signatures).
using TraceSink = std::function<void(std::string_view line)>;

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials; `refresh` forces a re-fetch (after an auth failure).
  virtual Result<sigv4::Credentials> get(bool refresh = false) = 0;
  virtual std::string source() const = 0;  // "environment", "shared-credentials-file", "imds", ...
};

// A successful EC2 response (HTTP 2xx).
struct RawResponse {
  int http_status = 0;
  std::string body;
  std::string request_id;
};

struct ClientOptions {
  std::string region;        // signing region
  std::string endpoint_url;  // e.g. "https://ec2.us-east-1.amazonaws.com"
  int max_attempts = 3;      // AWS_MAX_ATTEMPTS, including the first
  std::chrono::milliseconds max_backoff{20000};
  // Calls give up (kTimeout) rather than sleep past this instant.
  std::optional<Clock::Instant> deadline;
  // The backoff's random source: returns a value in [0, 1). Empty = a randomly seeded
  // engine. Tests inject a fixed sequence so delays are exact.
  std::function<double()> jitter;
  // Paginated calls fail (kParse) rather than follow more pages than this, so a
  // server handing out fresh tokens forever cannot loop the client.
  int max_pages = 1000;
  // User-facing warnings shown without --debug (a clock-skew correction); may be empty.
  TraceSink warn;
};

class Ec2Client {
 public:
  Ec2Client(ClientOptions options, std::shared_ptr<HttpTransport> transport,
            std::shared_ptr<CredentialsProvider> credentials, Clock& clock, TraceSink trace = {});
  ~Ec2Client();

  const ClientOptions& options() const { return options_; }
  void set_deadline(std::optional<Clock::Instant> deadline) { options_.deadline = deadline; }
  // Attempts per call from now on (at least 1); 1 while a caller paces its own retries.
  void set_max_attempts(int attempts) { options_.max_attempts = attempts < 1 ? 1 : attempts; }

  // One call, retried per standard mode. An EC2 error response becomes an Error.
  Result<RawResponse> call(const Query& query);
  // Several independent calls, concurrently, each retried independently.
  std::vector<Result<RawResponse>> call_all(const std::vector<Query>& queries);

  // Typed calls. Describe* calls with paging follow NextToken and join all pages.
  Result<DescribeRouteTablesResponse> describe_route_tables(const DescribeRouteTablesRequest& r);
  Result<CreateRouteResponse> create_route(const CreateRouteRequest& r);
  Result<ReplaceRouteResponse> replace_route(const ReplaceRouteRequest& r);
  Result<DescribeAddressesResponse> describe_addresses(const DescribeAddressesRequest& r);
  Result<AssociateAddressResponse> associate_address(const AssociateAddressRequest& r);
  Result<DisassociateAddressResponse> disassociate_address(const DisassociateAddressRequest& r);
  Result<DescribeNetworkInterfacesResponse> describe_network_interfaces(
      const DescribeNetworkInterfacesRequest& r);
  Result<ModifyNetworkInterfaceAttributeResponse> modify_network_interface_attribute(
      const ModifyNetworkInterfaceAttributeRequest& r);
  Result<DescribeInstancesResponse> describe_instances(const DescribeInstancesRequest& r);
  Result<DescribeVpcsResponse> describe_vpcs(const DescribeVpcsRequest& r);

 private:
  ClientOptions options_;
  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<CredentialsProvider> credentials_;
  Clock& clock_;
  TraceSink trace_;
  struct State;
  std::unique_ptr<State> state_;  // clock-skew offset, retry quota
};

// Instance metadata (IMDSv2). Paths are relative to /latest/, e.g. "meta-data/instance-id".
class Imds {
 public:
  virtual ~Imds() = default;
  virtual Result<std::string> get(std::string_view path) = 0;
};

// What the command line says; everything else comes from the environment and files.
struct SessionOptions {
  std::string region;        // --region
  std::string profile;       // --profile
  std::string endpoint_url;  // --endpoint-url
  bool debug = false;
  // Warnings for the user (e.g. a group-readable credentials file), shown even without
  // --debug. Empty = sent to the trace sink.
  TraceSink warn;
};

// A resolved session: region, endpoint, credentials chain, transport, IMDS.
struct Session {
  std::string region;
  std::string endpoint_url;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<CredentialsProvider> credentials;
  std::shared_ptr<Imds> imds;
  ClientOptions client_options;
  TraceSink trace;
  std::unique_ptr<Ec2Client> make_client(Clock& clock = system_clock()) const;
};

// Resolves region (--region > AWS_REGION > AWS_DEFAULT_REGION > profile > IMDS),
// endpoint (--endpoint-url > AWS_ENDPOINT_URL_EC2 > AWS_ENDPOINT_URL > profile >
// partition default) and the credentials chain (env > shared files > IMDS).
// Credentials are fetched lazily, on the first call. Errors: kConfig (bad files,
// http:// to a non-loopback host), kCredentials, kNetwork (IMDS for the region).
Result<Session> make_session(const SessionOptions& options, const Environment& env,
                             TraceSink trace);

// An IMDS client on its own (for --local): honours AWS_EC2_METADATA_SERVICE_ENDPOINT
// and AWS_EC2_METADATA_DISABLED; never uses a proxy.
std::shared_ptr<Imds> make_imds(const Environment& env, std::shared_ptr<HttpTransport> transport,
                                TraceSink trace);

}  // namespace ec2rk::ec2api
