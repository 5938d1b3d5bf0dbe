#include "ec2api/model.h"

namespace ec2rk::ec2api {

std::string tag_value(const std::vector<Tag>& tags, std::string_view key) {
  for (const Tag& t : tags) {
    if (t.key == key) return t.value;
  }
  return "";
}

}  // namespace ec2rk::ec2api
