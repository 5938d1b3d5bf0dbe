// XML parsing: every file of the shared ec2-xml fixtures (data-driven over the
// directory, so a new file without an expectation fails), the error envelope and
// its kinds, and adversarial bodies (truncated, wrong root, garbage, entities, depth).
#include "ec2api/xml.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace ec2rk::ec2api {
namespace {

namespace fs = std::filesystem;

const std::string kXmlDir = EC2RK_SHARED_TESTDATA "/ec2-xml";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open " << path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fixture(const std::string& name) {
  return read_file(kXmlDir + "/" + name);
}

// file -> HTTP status, from the README's "Files" table ("| `file` | 503 | ...").
std::map<std::string, int> readme_statuses() {
  const std::string readme = fixture("README.md");
  const std::regex row(R"(\|\s*`([^`]+\.xml)`\s*\|\s*(\d{3})\s*\|)");
  std::map<std::string, int> out;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), row);
       it != std::sregex_iterator(); ++it) {
    out[(*it)[1].str()] = std::stoi((*it)[2].str());
  }
  return out;
}

// ---- success files, checked field by field against the README's scenario ---------

void check_describe_route_tables_page1(const std::string& body) {
  auto r = parse_describe_route_tables(body);
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "d5087890-dc67-495f-813c-b72d2a3d63a1");
  CHECK(r->next_token == "eyJ2IjoiMyIsImMiOiJhYmMrZGVm/Z2hpIiwicyI6IjEifQ+x==");
  REQUIRE(r->route_tables.size() == 2);

  const RouteTable& pub1 = r->route_tables[0];
  CHECK(pub1.route_table_id == "rtb-0c1d2e3f4a5b6c7d8");
  CHECK(pub1.vpc_id == "vpc-0a1b2c3d");
  CHECK(pub1.owner_id == "123456789012");
  REQUIRE(pub1.routes.size() == 3);
  const Route& local = pub1.routes[0];
  CHECK(local.destination_cidr_block == "10.0.0.0/16");
  CHECK(local.gateway_id == "local");
  CHECK(local.state == "active");
  CHECK(local.origin == "CreateRouteTable");
  CHECK(local.network_interface_id.empty());
  const Route& vip = pub1.routes[1];  // VIP -> node1, attached ENI: instance fields too
  CHECK(vip.destination_cidr_block == "10.1.0.10/32");
  CHECK(vip.instance_id == "i-04a1b2c3d4e5f6a71");
  CHECK(vip.instance_owner_id == "123456789012");
  CHECK(vip.network_interface_id == "eni-01a2b3c4d5e6f7a81");
  CHECK(vip.gateway_id.empty());
  CHECK(vip.state == "active");
  CHECK(vip.origin == "CreateRoute");
  CHECK(pub1.routes[2].destination_cidr_block == "0.0.0.0/0");
  CHECK(pub1.routes[2].gateway_id == "igw-0f9e8d7c6b5a43210");
  REQUIRE(pub1.associations.size() == 1);
  CHECK(pub1.associations[0].route_table_association_id == "rtbassoc-0aa1bb2cc3dd4ee5f");
  CHECK(pub1.associations[0].route_table_id == "rtb-0c1d2e3f4a5b6c7d8");
  CHECK(pub1.associations[0].subnet_id == "subnet-0aa11bb22cc33dd44");
  CHECK(pub1.associations[0].main == false);
  CHECK(pub1.associations[0].state == "associated");
  CHECK(pub1.associations[0].gateway_id.empty());
  REQUIRE(pub1.tags.size() == 2);
  CHECK(pub1.tags[0].key == "Name");
  CHECK(pub1.tags[0].value == "rtb-public1");
  CHECK(tag_value(pub1.tags, "vip-cluster") == "demo");

  const RouteTable& pub2 = r->route_tables[1];
  CHECK(pub2.route_table_id == "rtb-0d2e3f4a5b6c7d8e9");
  REQUIRE(pub2.routes.size() == 3);
  const Route& stale = pub2.routes[1];  // VIP -> deleted ENI: only the ENI, blackhole
  CHECK(stale.destination_cidr_block == "10.1.0.10/32");
  CHECK(stale.network_interface_id == "eni-0d4e5f6a7b8c9d0e1");
  CHECK(stale.instance_id.empty());
  CHECK(stale.instance_owner_id.empty());
  CHECK(stale.state == "blackhole");
  REQUIRE(pub2.associations.size() == 1);
  CHECK(pub2.associations[0].route_table_association_id == "rtbassoc-0bb2cc3dd4ee5ff60");
  CHECK(pub2.associations[0].subnet_id == "subnet-0ee55ff66aa77bb88");
  CHECK(tag_value(pub2.tags, "Name") == "rtb-public2");
}

void check_describe_route_tables_page2(const std::string& body) {
  auto r = parse_describe_route_tables(body);
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "2662d48e-87ea-49e4-9b96-2242ef374c7a");
  CHECK(r->next_token.empty());  // last page
  REQUIRE(r->route_tables.size() == 2);
  const RouteTable& priv = r->route_tables[0];
  CHECK(priv.route_table_id == "rtb-0e3f4a5b6c7d8e9f0");
  REQUIRE(priv.routes.size() == 3);
  CHECK(priv.routes[1].destination_cidr_block == "10.1.0.10/32");
  CHECK(priv.routes[1].network_interface_id == "eni-02b3c4d5e6f7a8b92");
  CHECK(priv.routes[1].instance_id == "i-08b7c6d5e4f3a2b19");
  CHECK(priv.routes[1].state == "active");
  CHECK(priv.routes[2].nat_gateway_id == "nat-0a1b2c3d4e5f67890");
  CHECK(priv.routes[2].gateway_id.empty());
  REQUIRE(priv.associations.size() == 1);
  CHECK(priv.associations[0].route_table_association_id == "rtbassoc-0cc3dd4ee5ff6a071");
  CHECK(priv.associations[0].subnet_id == "subnet-0c3d4e5f6a7b8c9d0");
  REQUIRE(priv.tags.size() == 3);
  CHECK(tag_value(priv.tags, "owner") == "net-ops & sre");  // &amp; decoded

  const RouteTable& main_table = r->route_tables[1];
  CHECK(main_table.route_table_id == "rtb-0a9b8c7d6e5f40312");
  REQUIRE(main_table.routes.size() == 1);
  REQUIRE(main_table.associations.size() == 1);
  CHECK(main_table.associations[0].route_table_association_id == "rtbassoc-0dd4ee5ff6a07b182");
  CHECK(main_table.associations[0].main == true);
  CHECK(main_table.associations[0].subnet_id.empty());
  CHECK(main_table.associations[0].state == "associated");
  CHECK(main_table.tags.empty());  // <tagSet/>
}

void check_describe_route_tables_empty(const std::string& body) {
  auto r = parse_describe_route_tables(body);
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "a2f84d6e-47c4-422b-9100-7a22f03fb40e");
  CHECK(r->route_tables.empty());
  CHECK(r->next_token.empty());
}

std::function<void(const std::string&)> check_return(std::string request_id) {
  return [request_id](const std::string& body) {
    auto r = parse_return(body);
    REQUIRE(r.ok());
    CHECK(r->meta.request_id == request_id);
    CHECK(r->returned == true);
  };
}

void check_associate_address(const std::string& body) {
  auto r = parse_associate_address(body);  // also carries <return>, which is ignored
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "d3d7b61a-6b1e-4cb6-942a-5fb92dad7bf5");
  CHECK(r->association_id == "eipassoc-0b1c2d3e4f5a6b7c8");
  CHECK(parse_return(body)->returned == true);
}

void check_describe_addresses(const std::string& body) {
  auto r = parse_describe_addresses(body);
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "fdd87ce7-5dcb-4245-be6f-943f53b783a9");
  REQUIRE(r->addresses.size() == 2);
  const Address& used = r->addresses[0];
  CHECK(used.public_ip == "203.0.113.25");
  CHECK(used.allocation_id == "eipalloc-0f1e2d3c4b5a69788");
  CHECK(used.association_id == "eipassoc-0a9b8c7d6e5f43210");
  CHECK(used.domain == "vpc");
  CHECK(used.instance_id == "i-04a1b2c3d4e5f6a71");
  CHECK(used.network_interface_id == "eni-01a2b3c4d5e6f7a81");
  CHECK(used.network_interface_owner_id == "123456789012");
  CHECK(used.private_ip_address == "10.0.0.11");
  CHECK(used.network_border_group == "us-east-1");
  REQUIRE(used.tags.size() == 1);
  CHECK(tag_value(used.tags, "Name") == "vip-demo-eip");
  const Address& spare = r->addresses[1];
  CHECK(spare.public_ip == "198.51.100.77");
  CHECK(spare.allocation_id == "eipalloc-07a6b5c4d3e2f1a09");
  CHECK(spare.association_id.empty());
  CHECK(spare.instance_id.empty());
  CHECK(spare.network_interface_id.empty());
  CHECK(spare.private_ip_address.empty());
  CHECK(spare.domain == "vpc");
  CHECK(spare.tags.empty());
}

void check_describe_network_interfaces(const std::string& body) {
  auto r = parse_describe_network_interfaces(body);
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "daa7f3ca-9a2b-4e68-9715-3d17abd3b797");
  CHECK(r->next_token.empty());
  REQUIRE(r->network_interfaces.size() == 2);

  const NetworkInterface& eni1 = r->network_interfaces[0];
  CHECK(eni1.network_interface_id == "eni-01a2b3c4d5e6f7a81");
  CHECK(eni1.status == "in-use");
  CHECK(eni1.source_dest_check == std::optional<bool>(false));
  CHECK(eni1.private_ip_address == "10.0.0.11");
  CHECK(eni1.mac_address == "0a:3f:5c:21:7e:91");
  CHECK(eni1.vpc_id == "vpc-0a1b2c3d");
  CHECK(eni1.subnet_id == "subnet-0aa11bb22cc33dd44");
  CHECK(eni1.availability_zone == "us-east-1a");
  REQUIRE(eni1.attachment.has_value());
  CHECK(eni1.attachment->attachment_id == "eni-attach-0a1b2c3d4e5f60011");
  CHECK(eni1.attachment->instance_id == "i-04a1b2c3d4e5f6a71");
  CHECK(eni1.attachment->instance_owner_id == "123456789012");
  CHECK(eni1.attachment->device_index == 0);
  CHECK(eni1.attachment->status == "attached");
  REQUIRE(eni1.private_ip_addresses.size() == 2);
  const PrivateIpAddress& primary = eni1.private_ip_addresses[0];
  CHECK(primary.private_ip_address == "10.0.0.11");
  CHECK(primary.primary == true);
  CHECK(primary.public_ip == "203.0.113.25");
  CHECK(primary.allocation_id == "eipalloc-0f1e2d3c4b5a69788");
  CHECK(primary.association_id == "eipassoc-0a9b8c7d6e5f43210");
  const PrivateIpAddress& secondary = eni1.private_ip_addresses[1];
  CHECK(secondary.private_ip_address == "10.0.0.100");
  CHECK(secondary.primary == false);
  CHECK(secondary.public_ip.empty());
  CHECK(secondary.association_id.empty());
  CHECK(tag_value(eni1.tags, "Name") == "node1-eth0");

  const NetworkInterface& eni2 = r->network_interfaces[1];
  CHECK(eni2.network_interface_id == "eni-02b3c4d5e6f7a8b92");
  CHECK(eni2.status == "in-use");
  CHECK(eni2.source_dest_check == std::optional<bool>(false));
  CHECK(eni2.private_ip_address == "10.0.1.12");
  CHECK(eni2.mac_address == "0e:4b:77:0c:d2:15");
  CHECK(eni2.subnet_id == "subnet-0ee55ff66aa77bb88");
  CHECK(eni2.availability_zone == "us-east-1b");
  REQUIRE(eni2.attachment.has_value());
  CHECK(eni2.attachment->attachment_id == "eni-attach-0b2c3d4e5f6a70022");
  CHECK(eni2.attachment->instance_id == "i-08b7c6d5e4f3a2b19");
  CHECK(eni2.attachment->device_index == 0);
  REQUIRE(eni2.private_ip_addresses.size() == 1);
  CHECK(eni2.private_ip_addresses[0].primary == true);
  CHECK(eni2.private_ip_addresses[0].public_ip.empty());
  CHECK(tag_value(eni2.tags, "Name") == "node2-eth0");
}

void check_describe_instances(const std::string& body) {
  auto r = parse_describe_instances(body);
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "b1d61542-a109-47a5-818e-d73329db66c0");
  CHECK(r->next_token.empty());
  REQUIRE(r->instances.size() == 2);  // one per reservation, flattened
  const Instance& node1 = r->instances[0];
  CHECK(node1.instance_id == "i-04a1b2c3d4e5f6a71");
  CHECK(node1.state == "running");
  CHECK(node1.vpc_id == "vpc-0a1b2c3d");
  CHECK(node1.subnet_id == "subnet-0aa11bb22cc33dd44");
  CHECK(node1.private_ip_address == "10.0.0.11");
  CHECK(node1.availability_zone == "us-east-1a");
  CHECK(tag_value(node1.tags, "Name") == "node1");
  REQUIRE(node1.network_interfaces.size() == 1);
  CHECK(node1.network_interfaces[0].network_interface_id == "eni-01a2b3c4d5e6f7a81");
  CHECK(node1.network_interfaces[0].status == "in-use");
  CHECK(node1.network_interfaces[0].device_index == 0);
  CHECK(node1.network_interfaces[0].private_ip_address == "10.0.0.11");
  CHECK(node1.network_interfaces[0].source_dest_check == std::optional<bool>(false));
  const Instance& node2 = r->instances[1];
  CHECK(node2.instance_id == "i-08b7c6d5e4f3a2b19");
  CHECK(node2.state == "running");
  CHECK(node2.subnet_id == "subnet-0ee55ff66aa77bb88");
  CHECK(node2.private_ip_address == "10.0.1.12");
  CHECK(node2.availability_zone == "us-east-1b");
  CHECK(tag_value(node2.tags, "Name") == "node2");
  REQUIRE(node2.network_interfaces.size() == 1);
  CHECK(node2.network_interfaces[0].network_interface_id == "eni-02b3c4d5e6f7a8b92");
  CHECK(node2.network_interfaces[0].private_ip_address == "10.0.1.12");
}

const std::map<std::string, std::function<void(const std::string&)>>& success_checks() {
  static const std::map<std::string, std::function<void(const std::string&)>> m{
      {"DescribeRouteTables.xml", check_describe_route_tables_page1},
      {"DescribeRouteTables-page2.xml", check_describe_route_tables_page2},
      {"DescribeRouteTables-empty.xml", check_describe_route_tables_empty},
      {"CreateRoute.xml", check_return("1361b523-3b1b-4260-97fe-60a71f4bddae")},
      {"ReplaceRoute.xml", check_return("2d434c9d-24dd-428f-977b-199bb64042a3")},
      {"DeleteRoute.xml", check_return("da16c270-637a-4352-9c63-fe462292bd5a")},
      {"DisassociateAddress.xml", check_return("66d974d8-0abc-4f61-909a-19717e9e67ee")},
      {"AssociateAddress.xml", check_associate_address},
      {"DescribeAddresses.xml", check_describe_addresses},
      {"DescribeNetworkInterfaces.xml", check_describe_network_interfaces},
      {"DescribeInstances.xml", check_describe_instances},
  };
  return m;
}

// ---- error files: code from the file name, status from the README -------------

struct ErrorExpectation {
  std::string message;
  std::string request_id;
  ErrorKind kind;
};

const std::map<std::string, ErrorExpectation>& error_expectations() {
  static const std::map<std::string, ErrorExpectation> m{
      {"AuthFailure",
       {"AWS was not able to validate the provided access credentials",
        "eba6606b-40d4-4324-b7a9-91955ce393ab", ErrorKind::kService}},
      {"DryRunOperation",
       {"Request would have succeeded, but DryRun flag is set.",
        "de73d918-d4e0-4801-acbd-406c75ef3fcb", ErrorKind::kService}},
      {"InternalError",
       {"An internal error has occurred.", "c2d0c20b-535d-49a9-b957-e4d4e59c724a",
        ErrorKind::kServer}},
      {"InvalidAllocationID.NotFound",
       {"The allocation ID 'eipalloc-0123456789abcdef0' does not exist",
        "b200ba41-4602-483e-b0c6-73549bc26176", ErrorKind::kService}},
      {"InvalidAssociationID.NotFound",
       {"The association ID 'eipassoc-0a9b8c7d6e5f43210' does not exist",
        "9a57261d-1444-4a8e-872b-e3c8ee31eaed", ErrorKind::kService}},
      {"InvalidNetworkInterfaceID.NotFound",
       {"The networkInterface ID 'eni-0d4e5f6a7b8c9d0e1' does not exist",
        "0fa73bf3-1e0e-4fb2-8899-d15fb5704e40", ErrorKind::kService}},
      {"InvalidParameterValue",
       {"There is no route defined for '10.1.0.10/32' in the route table. Use CreateRoute instead.",
        "aa9ddcbf-3db6-4a8a-98bb-4d16605fa215", ErrorKind::kService}},
      {"InvalidRoute.NotFound",
       {"no route with destination-cidr-block 10.1.0.10/32 in route table rtb-0d2e3f4a5b6c7d8e9",
        "469f9543-cbd4-4296-906d-04291b565b1e", ErrorKind::kService}},
      {"InvalidRouteTableID.NotFound",
       {"The routeTable ID 'rtb-0f0f0f0f0f0f0f0f0' does not exist",
        "958fd47a-9eaf-4dbc-ad94-249107128154", ErrorKind::kService}},
      {"RequestExpired",
       {"Request has expired.", "1f6a3c2e-8b4d-4e7a-9c15-3d2b7e9f0a48", ErrorKind::kService}},
      {"RequestLimitExceeded",
       {"Request limit exceeded.", "222ee0ac-bbba-4657-820a-d70fe194f836", ErrorKind::kThrottled}},
      {"RouteAlreadyExists",
       {"The route identified by 10.1.0.10/32 already exists.",
        "192257c4-efd8-4f62-8dcd-7ea7452234c1", ErrorKind::kService}},
      {"SignatureDoesNotMatch",
       {"The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.",
        "00999f7e-6871-43fb-bdf4-f2ab248df2e3", ErrorKind::kService}},
      {"UnauthorizedOperation",
       {"You are not authorized to perform this operation. User: "
        "arn:aws:sts::123456789012:assumed-role/vip-failover-role/i-08b7c6d5e4f3a2b19 is not "
        "authorized to perform: ec2:ReplaceRoute on resource: "
        "arn:aws:ec2:us-east-1:123456789012:route-table/rtb-0c1d2e3f4a5b6c7d8 because no "
        "identity-based policy allows the ec2:ReplaceRoute action. Encoded authorization failure "
        "message: Xq3vEXAMPLEn0tRealBase64payload-9Yk2Lw0aPmZ1cTc4dE5hVz0_EXAMPLE",
        "78e38956-a98e-4acb-b878-abe980077472", ErrorKind::kService}},
      {"Unavailable",
       {"The server is overloaded and can't handle the request.",
        "48b2ff87-149f-4221-893b-350e4323b52f", ErrorKind::kServer}},
  };
  return m;
}

TEST_CASE("every ec2-xml fixture parses to its expected model or error") {
  const auto statuses = readme_statuses();
  int files = 0;
  int error_files = 0;
  std::set<std::string> seen;
  for (const auto& entry : fs::directory_iterator(kXmlDir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".xml") continue;
    CAPTURE(name);
    ++files;
    seen.insert(name);
    const std::string body = read_file(entry.path().string());
    REQUIRE_MESSAGE(statuses.count(name) == 1, "file missing from the README's table");
    const int status = statuses.at(name);
    if (name.rfind("error-", 0) == 0) {
      ++error_files;
      const std::string code = name.substr(6, name.size() - 6 - 4);
      auto it = error_expectations().find(code);
      REQUIRE_MESSAGE(it != error_expectations().end(), "no expectation for this error file");
      const Error e = parse_error_response(status, body);
      CHECK(e.aws_code == code);
      CHECK(e.message == it->second.message);
      CHECK(e.request_id == it->second.request_id);
      CHECK(e.http_status == status);
      CHECK(e.kind == it->second.kind);
      CHECK(parse_request_id(body) == it->second.request_id);
      // An error envelope is never mistaken for a success body.
      CHECK(parse_return(body).ok() == false);
      CHECK(parse_describe_route_tables(body).error().kind == ErrorKind::kParse);
    } else {
      CHECK(status == 200);
      auto it = success_checks().find(name);
      REQUIRE_MESSAGE(it != success_checks().end(), "no expectation for this success file");
      it->second(body);
      CHECK(!parse_request_id(body).empty());
    }
  }
  CHECK(files == 26);
  CHECK(error_files == static_cast<int>(error_expectations().size()));
  for (const auto& [name, check] : success_checks()) CHECK(seen.count(name) == 1);
}

// ---- the error envelope ----------------------------------------------------------

TEST_CASE("the error kind follows the code first, then the HTTP status") {
  const auto envelope = [](const std::string& code) {
    return "<Response><Errors><Error><Code>" + code +
           "</Code><Message>m</Message></Error></Errors><RequestID>rid</RequestID></Response>";
  };
  struct Case {
    std::string code;
    int status;
    ErrorKind kind;
  };
  const Case cases[] = {
      {"RequestLimitExceeded", 503, ErrorKind::kThrottled},
      {"EC2ThrottledException", 503, ErrorKind::kThrottled},
      {"Throttling", 400, ErrorKind::kThrottled},
      {"ThrottlingException", 400, ErrorKind::kThrottled},
      {"RequestThrottled", 400, ErrorKind::kThrottled},
      {"PriorRequestNotComplete", 400, ErrorKind::kThrottled},
      {"RequestTimeout", 400, ErrorKind::kServer},
      {"RequestTimeoutException", 400, ErrorKind::kServer},
      {"InternalError", 500, ErrorKind::kServer},
      {"InternalFailure", 500, ErrorKind::kServer},
      {"ServiceUnavailable", 503, ErrorKind::kServer},
      {"Unavailable", 503, ErrorKind::kServer},
      {"SomethingElse", 504, ErrorKind::kServer},
      {"AuthFailure", 401, ErrorKind::kService},
      {"SignatureDoesNotMatch", 403, ErrorKind::kService},
      {"UnauthorizedOperation", 403, ErrorKind::kService},
      {"DryRunOperation", 412, ErrorKind::kService},
      {"InvalidParameterValue", 400, ErrorKind::kService},
      {"IncorrectState", 409, ErrorKind::kService},
  };
  for (const Case& c : cases) {
    CAPTURE(c.code);
    CAPTURE(c.status);
    const Error e = parse_error_response(c.status, envelope(c.code));
    CHECK(e.kind == c.kind);
    CHECK(e.aws_code == c.code);
    CHECK(e.message == "m");
    CHECK(e.request_id == "rid");
    CHECK(e.http_status == c.status);
  }
}

TEST_CASE("is_throttling_code knows the standard-mode list and nothing else") {
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"}) {
    CAPTURE(code);
    CHECK(is_throttling_code(code));
  }
  for (const char* code : {"", "requestlimitexceeded", "InternalError", "Unavailable",
                           "AuthFailure", "RequestTimeout", "Throttling "}) {
    CAPTURE(code);
    CHECK_FALSE(is_throttling_code(code));
  }
  CHECK(is_transient_code("RequestTimeout"));
  CHECK_FALSE(is_transient_code("InternalError"));
}

TEST_CASE("an error body that is empty or not XML falls back to the HTTP status") {
  struct Case {
    std::string body;
    int status;
    ErrorKind kind;
  };
  const Case cases[] = {
      {"", 503, ErrorKind::kServer},
      {"   \r\n", 502, ErrorKind::kServer},
      {"<html><body><h1>502 Bad Gateway</h1></body></html>", 502, ErrorKind::kServer},
      {"Service Unavailable", 503, ErrorKind::kServer},
      {"<Response><Errors><Error><Code>Unavail", 503, ErrorKind::kServer},
      {"{\"message\":\"forbidden\"}", 403, ErrorKind::kService},
      {"\xff\xfe\x00garbage", 400, ErrorKind::kService},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    const Error e = parse_error_response(c.status, c.body);
    CHECK(e.kind == c.kind);
    CHECK(e.message == "HTTP " + std::to_string(c.status));
    CHECK(e.aws_code.empty());
    CHECK(e.request_id.empty());
    CHECK(e.http_status == c.status);
  }
}

TEST_CASE("an error body without a Code keeps its message and request id") {
  const Error e =
      parse_error_response(400,
                           "<Response><Errors><Error><Message>boom</Message></Error></Errors>"
                           "<RequestID>r-1</RequestID></Response>");
  CHECK(e.aws_code.empty());
  CHECK(e.message == "boom");
  CHECK(e.request_id == "r-1");
  CHECK(e.kind == ErrorKind::kService);

  const Error bare = parse_error_response(500, "<Response><Errors/></Response>");
  CHECK(bare.aws_code.empty());
  CHECK(bare.message == "HTTP 500");
  CHECK(bare.kind == ErrorKind::kServer);

  const Error no_message = parse_error_response(
      400, "<Response><Errors><Error><Code>X</Code></Error></Errors></Response>");
  CHECK(no_message.aws_code == "X");
  CHECK(no_message.message == "HTTP 400");
}

TEST_CASE("the error envelope reads only the first Error and any requestId spelling") {
  const Error e = parse_error_response(
      400,
      "<?xml version=\"1.0\"?>\n<Response>\n  <RequestId>second-spelling</RequestId>\n"
      "  <Errors>\n    <Error><Message>first</Message><Extra><Code>nested</Code></Extra>"
      "<Code>A</Code></Error>\n    <Error><Code>B</Code><Message>second</Message></Error>\n"
      "  </Errors>\n</Response>\n");
  CHECK(e.aws_code == "A");
  CHECK(e.message == "first");
  CHECK(e.request_id == "second-spelling");

  // The plain query protocol envelope and a bare <Error> (intermediaries) work too.
  const Error query = parse_error_response(
      403,
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
      "<Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>sig</Message></Error>"
      "<RequestId>q-1</RequestId></ErrorResponse>");
  CHECK(query.aws_code == "SignatureDoesNotMatch");
  CHECK(query.message == "sig");
  CHECK(query.request_id == "q-1");
  const Error bare = parse_error_response(
      503, "<Error><Code>SlowDown</Code><Message>Please reduce</Message></Error>");
  CHECK(bare.aws_code == "SlowDown");
  CHECK(bare.kind == ErrorKind::kThrottled);
}

TEST_CASE("an error message with entities is decoded and describe() formats it for the CLI") {
  const Error e = parse_error_response(
      400,
      "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>a &lt;b&gt; "
      "&amp; &quot;c&quot; &#x41;</Message></Error></Errors><RequestID>r</RequestID>"
      "</Response>");
  CHECK(e.message == "a <b> & \"c\" A");
  CHECK(e.describe() == "a <b> & \"c\" A (InvalidParameterValue, request id r)");
}

// ---- success bodies: robustness --------------------------------------------------

TEST_CASE("a success body with the wrong root is a parse error naming the expected root") {
  auto r = parse_describe_route_tables(fixture("DescribeAddresses.xml"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kParse);
  CHECK(r.error().message.find("DescribeRouteTablesResponse") != std::string::npos);
  CHECK(r.error().message.find("DescribeAddressesResponse") != std::string::npos);

  CHECK(parse_describe_addresses(fixture("DescribeRouteTables.xml")).error().kind ==
        ErrorKind::kParse);
  CHECK(parse_describe_network_interfaces(fixture("DescribeInstances.xml")).error().kind ==
        ErrorKind::kParse);
  CHECK(parse_describe_instances(fixture("DescribeNetworkInterfaces.xml")).error().kind ==
        ErrorKind::kParse);
  CHECK(parse_associate_address(fixture("CreateRoute.xml")).error().kind == ErrorKind::kParse);
  CHECK(parse_describe_vpcs(fixture("DescribeRouteTables.xml")).error().kind == ErrorKind::kParse);
  CHECK(parse_return("<Something/>").error().kind == ErrorKind::kParse);
  CHECK(parse_return("<Response/>").error().kind == ErrorKind::kParse);
}

TEST_CASE("empty, whitespace and non-XML success bodies are parse errors") {
  for (const std::string& body :
       {std::string(""), std::string(" \n\t"), std::string("OK"),
        std::string("{\"routeTables\":[]}"), std::string("<"),
        std::string("<?xml version=\"1.0\"?>"), std::string("\0\0\0", 3), std::string("<a></b>")}) {
    CAPTURE(body);
    auto r = parse_describe_route_tables(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kParse);
    CHECK(r.error().message.find("DescribeRouteTablesResponse") != std::string::npos);
    CHECK(parse_return(body).error().kind == ErrorKind::kParse);
    CHECK(parse_request_id(body).empty());
  }
}

TEST_CASE("every truncation of a success body is a parse error, never a partial result") {
  for (const char* name : {"DescribeRouteTables.xml", "DescribeNetworkInterfaces.xml",
                           "DescribeInstances.xml", "CreateRoute.xml"}) {
    const std::string body = fixture(name);
    const size_t end = body.rfind('>');
    REQUIRE(end != std::string::npos);
    for (size_t cut = 0; cut < end; ++cut) {
      CAPTURE(name);
      CAPTURE(cut);
      const std::string prefix = body.substr(0, cut);
      bool parse_error = false;
      if (std::string(name) == "DescribeRouteTables.xml") {
        auto r = parse_describe_route_tables(prefix);
        parse_error = !r.ok() && r.error().kind == ErrorKind::kParse;
      } else if (std::string(name) == "DescribeNetworkInterfaces.xml") {
        auto r = parse_describe_network_interfaces(prefix);
        parse_error = !r.ok() && r.error().kind == ErrorKind::kParse;
      } else if (std::string(name) == "DescribeInstances.xml") {
        auto r = parse_describe_instances(prefix);
        parse_error = !r.ok() && r.error().kind == ErrorKind::kParse;
      } else {
        auto r = parse_return(prefix);
        parse_error = !r.ok() && r.error().kind == ErrorKind::kParse;
      }
      if (!parse_error) CHECK(parse_error);  // one CHECK per failure keeps the count honest
    }
  }
}

TEST_CASE("namespace prefixes, element order and unknown elements do not matter") {
  const std::string body =
      "<?xml version=\"1.0\"?>\n"
      "<ec2:DescribeRouteTablesResponse xmlns:ec2=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
      "<ec2:nextToken>tok</ec2:nextToken>"
      "<ec2:futureField><ec2:item><ec2:routeTableId>not-this</ec2:routeTableId></ec2:item>"
      "</ec2:futureField>"
      "<ec2:routeTableSet><ec2:item>"
      "<ec2:tagSet><ec2:item><ec2:value>v</ec2:value><ec2:key>k</ec2:key></ec2:item></ec2:tagSet>"
      "<ec2:routeSet><ec2:item><ec2:origin>CreateRoute</ec2:origin><ec2:state>active</ec2:state>"
      "<ec2:coreNetworkArn>arn:x</ec2:coreNetworkArn>"
      "<ec2:networkInterfaceId>eni-1</ec2:networkInterfaceId>"
      "<ec2:destinationIpv6CidrBlock>2001:db8::/64</ec2:destinationIpv6CidrBlock>"
      "</ec2:item></ec2:routeSet>"
      "<ec2:vpcId>vpc-1</ec2:vpcId><ec2:routeTableId>rtb-1</ec2:routeTableId>"
      "</ec2:item></ec2:routeTableSet>"
      "<ec2:requestId>req</ec2:requestId>"
      "</ec2:DescribeRouteTablesResponse>";
  auto r = parse_describe_route_tables(body);
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "req");
  CHECK(r->next_token == "tok");
  REQUIRE(r->route_tables.size() == 1);
  CHECK(r->route_tables[0].route_table_id == "rtb-1");
  CHECK(r->route_tables[0].vpc_id == "vpc-1");
  REQUIRE(r->route_tables[0].routes.size() == 1);
  CHECK(r->route_tables[0].routes[0].destination_ipv6_cidr_block == "2001:db8::/64");
  CHECK(r->route_tables[0].routes[0].network_interface_id == "eni-1");
  CHECK(r->route_tables[0].routes[0].state == "active");
  CHECK(r->route_tables[0].routes[0].origin == "CreateRoute");
  REQUIRE(r->route_tables[0].tags.size() == 1);
  CHECK(r->route_tables[0].tags[0].key == "k");
  CHECK(r->route_tables[0].tags[0].value == "v");
}

TEST_CASE("other route targets and fields are read from their own elements") {
  auto r = parse_describe_route_tables(
      "<DescribeRouteTablesResponse><routeTableSet><item><routeSet><item>"
      "<destinationPrefixListId>pl-1</destinationPrefixListId>"
      "<transitGatewayId>tgw-1</transitGatewayId>"
      "<vpcPeeringConnectionId>pcx-1</vpcPeeringConnectionId>"
      "<state>filtered</state><origin>EnableVgwRoutePropagation</origin>"
      "</item></routeSet><associationSet><item><gatewayId>igw-1</gatewayId>"
      "<main>false</main><associationState><state>disassociating</state></associationState>"
      "</item></associationSet></item></routeTableSet></DescribeRouteTablesResponse>");
  REQUIRE(r.ok());
  REQUIRE(r->route_tables.size() == 1);
  const Route& route = r->route_tables[0].routes.at(0);
  CHECK(route.destination_prefix_list_id == "pl-1");
  CHECK(route.transit_gateway_id == "tgw-1");
  CHECK(route.vpc_peering_connection_id == "pcx-1");
  CHECK(route.state == "filtered");
  CHECK(route.origin == "EnableVgwRoutePropagation");
  const RouteTableAssociation& a = r->route_tables[0].associations.at(0);
  CHECK(a.gateway_id == "igw-1");
  CHECK(a.state == "disassociating");
  CHECK(r->meta.request_id.empty());
}

TEST_CASE("malformed numbers and booleans read as unknown, never throw") {
  auto r = parse_describe_network_interfaces(
      "<DescribeNetworkInterfacesResponse><networkInterfaceSet>"
      "<item><networkInterfaceId>eni-a</networkInterfaceId><sourceDestCheck>TRUE"
      "</sourceDestCheck><attachment><deviceIndex>99999999999999999999999</deviceIndex>"
      "</attachment></item>"
      "<item><networkInterfaceId>eni-b</networkInterfaceId><sourceDestCheck>true"
      "</sourceDestCheck><attachment><deviceIndex>1x</deviceIndex></attachment></item>"
      "<item><networkInterfaceId>eni-c</networkInterfaceId><sourceDestCheck/>"
      "<attachment><deviceIndex>-3</deviceIndex></attachment></item>"
      "<item><networkInterfaceId>eni-d</networkInterfaceId>"
      "<attachment><deviceIndex>2</deviceIndex></attachment></item>"
      "</networkInterfaceSet><nextToken>n2</nextToken></DescribeNetworkInterfacesResponse>");
  REQUIRE(r.ok());
  REQUIRE(r->network_interfaces.size() == 4);
  CHECK(r->next_token == "n2");
  CHECK(r->network_interfaces[0].source_dest_check == std::nullopt);
  CHECK(r->network_interfaces[0].attachment->device_index == -1);
  CHECK(r->network_interfaces[1].source_dest_check == std::optional<bool>(true));
  CHECK(r->network_interfaces[1].attachment->device_index == -1);
  CHECK(r->network_interfaces[2].source_dest_check == std::nullopt);
  CHECK(r->network_interfaces[2].attachment->device_index == -1);
  CHECK(r->network_interfaces[3].source_dest_check == std::nullopt);  // absent
  CHECK(r->network_interfaces[3].attachment->device_index == 2);
  CHECK(r->network_interfaces[3].private_ip_addresses.empty());

  auto detached = parse_describe_network_interfaces(
      "<DescribeNetworkInterfacesResponse><networkInterfaceSet><item>"
      "<status>available</status></item></networkInterfaceSet>"
      "</DescribeNetworkInterfacesResponse>");
  REQUIRE(detached.ok());
  CHECK_FALSE(detached->network_interfaces.at(0).attachment.has_value());
  CHECK(detached->network_interfaces.at(0).status == "available");
}

TEST_CASE("DescribeInstances pages and empty reservations parse") {
  auto r = parse_describe_instances(
      "<DescribeInstancesResponse><reservationSet><item><instancesSet/></item>"
      "<item><instancesSet><item><instanceId>i-1</instanceId><instanceState><code>80</code>"
      "<name>stopped</name></instanceState></item><item><instanceId>i-2</instanceId></item>"
      "</instancesSet></item></reservationSet><nextToken>p2</nextToken>"
      "</DescribeInstancesResponse>");
  REQUIRE(r.ok());
  REQUIRE(r->instances.size() == 2);
  CHECK(r->instances[0].instance_id == "i-1");
  CHECK(r->instances[0].state == "stopped");
  CHECK(r->instances[1].state.empty());
  CHECK(r->instances[1].network_interfaces.empty());
  CHECK(r->next_token == "p2");
}

TEST_CASE("DescribeVpcs reads the primary CIDR and every associated CIDR") {
  auto r =
      parse_describe_vpcs(read_file(EC2RK_SOURCE_DIR "/tests/testdata/ec2api/DescribeVpcs.xml"));
  REQUIRE(r.ok());
  CHECK(r->meta.request_id == "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
  CHECK(r->next_token.empty());
  REQUIRE(r->vpcs.size() == 2);
  const Vpc& vpc = r->vpcs[0];
  CHECK(vpc.vpc_id == "vpc-0a1b2c3d");
  CHECK(vpc.cidr_block == "10.0.0.0/16");
  CHECK(vpc.cidr_blocks == std::vector<std::string>{"10.0.0.0/16", "10.2.0.0/16"});
  CHECK(tag_value(vpc.tags, "Name") == "vip-demo");
  const Vpc& legacy = r->vpcs[1];  // no cidrBlockAssociationSet: the primary stands alone
  CHECK(legacy.vpc_id == "vpc-0ffff");
  CHECK(legacy.cidr_blocks == std::vector<std::string>{"172.31.0.0/16"});
  CHECK(legacy.tags.empty());
}

TEST_CASE("entities are decoded but a DTD's own entities are never expanded") {
  auto r = parse_associate_address(
      "<AssociateAddressResponse><associationId>a&amp;b&#x2F;&#47;&lt;</associationId>"
      "</AssociateAddressResponse>");
  REQUIRE(r.ok());
  CHECK(r->association_id == "a&b//<");

  // A billion-laughs document: the DOCTYPE is skipped and &lol9; stays unexpanded text.
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    bomb += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j)
      bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "\">\n";
  }
  bomb +=
      "]>\n<AssociateAddressResponse><associationId>&lol9;</associationId>"
      "</AssociateAddressResponse>";
  auto bombed = parse_associate_address(bomb);
  if (bombed.ok()) {
    CHECK(bombed->association_id.size() < 100);
  } else {
    CHECK(bombed.error().kind == ErrorKind::kParse);
  }

  // An external entity is not fetched.
  auto xxe = parse_associate_address(
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<AssociateAddressResponse><associationId>&x;</associationId></AssociateAddressResponse>");
  if (xxe.ok()) {
    CHECK(xxe->association_id.find("root:") == std::string::npos);
  } else {
    CHECK(xxe.error().kind == ErrorKind::kParse);
  }
}

TEST_CASE("deeply nested documents neither crash nor confuse the parser") {
  const int depth = 200000;
  std::string open;
  std::string close;
  open.reserve(depth * 3);
  close.reserve(depth * 4);
  for (int i = 0; i < depth; ++i) {
    open += "<x>";
    close += "</x>";
  }
  auto ok = parse_describe_route_tables("<DescribeRouteTablesResponse>" + open + close +
                                        "<routeTableSet/></DescribeRouteTablesResponse>");
  REQUIRE(ok.ok());
  CHECK(ok->route_tables.empty());

  auto unclosed = parse_describe_route_tables("<DescribeRouteTablesResponse>" + open);
  REQUIRE_FALSE(unclosed.ok());
  CHECK(unclosed.error().kind == ErrorKind::kParse);

  const Error e = parse_error_response(500, "<Response>" + open + close + "</Response>");
  CHECK(e.message == "HTTP 500");
  CHECK(e.kind == ErrorKind::kServer);
}

TEST_CASE("random garbage never crashes any parser") {
  uint32_t state = 0x9e3779b9;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  const std::string seed = fixture("DescribeNetworkInterfaces.xml");
  for (int round = 0; round < 500; ++round) {
    // Mutate a real document: flip, drop and duplicate bytes.
    std::string body = seed;
    const int edits = 1 + static_cast<int>(next() % 8);
    for (int i = 0; i < edits && !body.empty(); ++i) {
      const size_t pos = next() % body.size();
      switch (next() % 3) {
        case 0:
          body[pos] = static_cast<char>(next());
          break;
        case 1:
          body.erase(pos, 1 + next() % 16);
          break;
        default:
          body.insert(pos, body.substr(pos, next() % 32));
          break;
      }
    }
    CAPTURE(round);
    auto r = parse_describe_network_interfaces(body);
    if (!r.ok()) CHECK(r.error().kind == ErrorKind::kParse);
    (void)parse_describe_route_tables(body);
    (void)parse_describe_instances(body);
    (void)parse_return(body);
    (void)parse_request_id(body);
    const Error e = parse_error_response(400, body);
    CHECK(e.http_status == 400);
    CHECK_FALSE(e.message.empty());
  }
}

TEST_CASE("parse_request_id reads requestId and RequestID and is empty otherwise") {
  CHECK(parse_request_id(fixture("CreateRoute.xml")) == "1361b523-3b1b-4260-97fe-60a71f4bddae");
  CHECK(parse_request_id(fixture("error-AuthFailure.xml")) ==
        "eba6606b-40d4-4324-b7a9-91955ce393ab");
  CHECK(parse_request_id("<X><a><requestId>nested-not-top</requestId></a></X>").empty());
  CHECK(parse_request_id("").empty());
}

TEST_CASE("tag_value finds a tag by exact key and is empty when absent") {
  const std::vector<Tag> tags{{"Name", "n"}, {"name", "lower"}, {"empty", ""}};
  CHECK(tag_value(tags, "Name") == "n");
  CHECK(tag_value(tags, "name") == "lower");
  CHECK(tag_value(tags, "empty") == "");
  CHECK(tag_value(tags, "missing") == "");
  CHECK(tag_value({}, "Name") == "");
}

}  // namespace
}  // namespace ec2rk::ec2api
