#include "ec2api/http.h"

#include <strings.h>

namespace ec2rk::ec2api {

std::string HttpResponse::header(std::string_view name) const {
  for (const HttpHeader& h : headers) {
    if (h.name.size() == name.size() &&
        strncasecmp(h.name.data(), name.data(), name.size()) == 0) {
      return h.value;
    }
  }
  return {};
}

Result<HttpResponse> HttpTransport::send(const HttpRequest& request) {
  auto results = send_all({request});
  return std::move(results.front());
}

}  // namespace ec2rk::ec2api
