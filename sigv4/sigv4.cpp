// Placeholder until the signer lands (issue 2).
#include "sigv4/sigv4.h"

namespace ec2rk::sigv4 {

void secure_wipe(std::string& s) {
  volatile char* p = s.data();
  for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

}  // namespace ec2rk::sigv4
