#include "cli/observe.h"

#include <algorithm>
#include <functional>
#include <set>

#include "ec2api/xml.h"

namespace ec2rk::cli {
namespace {

// One route-table query and where its tables go.
struct TableQuery {
  std::string resource;
  ec2api::DescribeRouteTablesRequest request;
  std::set<std::string> tokens_seen;  // so a server repeating NextToken cannot loop us
};

ec2api::DescribeRouteTablesRequest search_request(const RouteResource& r) {
  ec2api::DescribeRouteTablesRequest q;
  q.filters.push_back({"vpc-id", {r.vpc_id}});
  q.filters.push_back(
      {r.ipv6 ? "route.destination-ipv6-cidr-block" : "route.destination-cidr-block", {r.destination}});
  q.max_results = 100;
  return q;
}

void add_tables(ObservedRoutes& into, std::vector<ec2api::RouteTable> tables) {
  for (auto& t : tables) {
    auto same = [&](const ec2api::RouteTable& x) { return x.route_table_id == t.route_table_id; };
    if (std::none_of(into.tables.begin(), into.tables.end(), same)) into.tables.push_back(std::move(t));
  }
}

}  // namespace

Result<ObservedState> observe(ec2api::Ec2Client& client, const Config& config,
                              const ObserveScope& scope) {
  ObservedState state;
  std::vector<ec2api::Query> queries;
  // Each query's result handler; index-aligned with `queries`.
  std::vector<std::function<Status(const ec2api::RawResponse&)>> handlers;
  std::vector<TableQuery> pending_pages;

  const size_t max_pages = static_cast<size_t>(std::max(1, client.options().max_pages));
  auto table_handler = [&](TableQuery tq) {
    return [&state, &pending_pages, tq, max_pages](const ec2api::RawResponse& raw) -> Status {
      auto parsed = ec2api::parse_describe_route_tables(raw.body);
      if (!parsed) return parsed.error();
      add_tables(state.routes[tq.resource], std::move(parsed->route_tables));
      if (!parsed->next_token.empty()) {
        // As ec2api's pagination: a repeated token or too many pages is a broken server.
        if (tq.tokens_seen.count(parsed->next_token)) {
          return make_error(ErrorKind::kParse,
                            "DescribeRouteTables: EC2 returned the same NextToken twice; stopping");
        }
        if (tq.tokens_seen.size() + 1 >= max_pages) {
          return make_error(ErrorKind::kParse, "DescribeRouteTables: EC2 returned more than " +
                                                   std::to_string(max_pages) + " pages; stopping");
        }
        TableQuery next = tq;
        next.tokens_seen.insert(parsed->next_token);
        next.request.next_token = parsed->next_token;
        pending_pages.push_back(std::move(next));
      }
      return ok_status();
    };
  };

  for (const auto& r : config.routes) {
    state.routes[r.name];  // present even when no table holds the route
    TableQuery search{r.name, search_request(r), {}};
    queries.push_back(ec2api::to_query(search.request));
    handlers.push_back(table_handler(search));
    if (!r.route_tables.empty()) {
      TableQuery listed{r.name, {}, {}};
      listed.request.route_table_ids = r.route_tables;
      queries.push_back(ec2api::to_query(listed.request));
      handlers.push_back(table_handler(listed));
    }
  }
  if (!config.eips.empty()) {
    ec2api::DescribeAddressesRequest q;
    for (const auto& e : config.eips) q.allocation_ids.push_back(e.allocation_id);
    queries.push_back(ec2api::to_query(q));
    handlers.push_back([&](const ec2api::RawResponse& raw) -> Status {
      auto parsed = ec2api::parse_describe_addresses(raw.body);
      if (!parsed) return parsed.error();
      for (const auto& e : config.eips) {
        auto& slot = state.eips[e.name];
        for (const auto& a : parsed->addresses)
          if (a.allocation_id == e.allocation_id) slot = a;
      }
      return ok_status();
    });
  }
  if (scope.nodes) {
    std::set<std::string> enis;
    for (const auto& r : config.routes)
      for (const auto& [n, id] : r.eni) enis.insert(id);
    for (const auto& e : config.eips)
      for (const auto& [n, id] : e.eni) enis.insert(id);
    if (!enis.empty()) {
      ec2api::DescribeNetworkInterfacesRequest q;
      q.network_interface_ids.assign(enis.begin(), enis.end());
      queries.push_back(ec2api::to_query(q));
      handlers.push_back([&](const ec2api::RawResponse& raw) -> Status {
        auto parsed = ec2api::parse_describe_network_interfaces(raw.body);
        if (!parsed) return parsed.error();
        for (auto& ni : parsed->network_interfaces) state.enis[ni.network_interface_id] = ni;
        return ok_status();
      });
    }
    ec2api::DescribeInstancesRequest q;
    for (const auto& n : config.nodes) q.instance_ids.push_back(n.instance_id);
    queries.push_back(ec2api::to_query(q));
    handlers.push_back([&](const ec2api::RawResponse& raw) -> Status {
      auto parsed = ec2api::parse_describe_instances(raw.body);
      if (!parsed) return parsed.error();
      for (auto& i : parsed->instances) state.instances[i.instance_id] = i;
      return ok_status();
    });
  }

  // Round 1 in parallel; then only the route-table queries that paged.
  while (!queries.empty()) {
    auto results = client.call_all(queries);
    for (size_t i = 0; i < results.size(); ++i) {
      if (!results[i]) return results[i].error();
      if (auto st = handlers[i](*results[i]); !st) return st.error();
    }
    queries.clear();
    handlers.clear();
    auto pages = std::move(pending_pages);
    pending_pages.clear();
    for (auto& p : pages) {
      queries.push_back(ec2api::to_query(p.request));
      handlers.push_back(table_handler(p));
    }
  }
  for (auto& [name, routes] : state.routes) {
    std::sort(routes.tables.begin(), routes.tables.end(),
              [](const auto& a, const auto& b) { return a.route_table_id < b.route_table_id; });
  }
  return state;
}

}  // namespace ec2rk::cli
