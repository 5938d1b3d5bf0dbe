// Placeholder until the ec2api runtime lands (issue 3).
#include "ec2api/client.h"

namespace ec2rk::ec2api {

Result<Session> make_session(const SessionOptions&, const Environment&, TraceSink) {
  return make_error(ErrorKind::kConfig, "sessions are not implemented yet");
}

}  // namespace ec2rk::ec2api
