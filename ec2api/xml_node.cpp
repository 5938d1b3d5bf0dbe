#include "ec2api/xml_node.h"

#include <charconv>

namespace ec2rk::ec2api::xml {

std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

namespace {

pugi::xml_node child_element(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

}  // namespace

pugi::xml_node child(pugi::xml_node node, std::string_view path) {
  while (node && !path.empty()) {
    const size_t slash = path.find('/');
    node = child_element(node, path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return node;
}

std::string child_text(pugi::xml_node node, std::string_view path) {
  std::string text = child(node, path).text().get();
  // No EC2 value holds control characters (XML 1.0 forbids most of them; pugixml lets them
  // through). A hostile endpoint's ESC sequences must not reach a terminal, nor tabs and
  // newlines break the tab-separated output: each becomes '?'.
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

std::optional<bool> child_bool(pugi::xml_node node, std::string_view path) {
  const std::string text = child_text(node, path);
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

std::optional<long long> child_int(pugi::xml_node node, std::string_view path) {
  const std::string text = child_text(node, path);
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::vector<pugi::xml_node> items(pugi::xml_node node, std::string_view path) {
  std::vector<pugi::xml_node> out;
  const pugi::xml_node list = child(node, path);
  for (pugi::xml_node c = list.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == "item") out.push_back(c);
  }
  return out;
}

Result<pugi::xml_node> load_any(pugi::xml_document& doc, std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return make_error(ErrorKind::kParse, "empty response body where XML was expected");
  }
  // parse_default: entities &amp; etc. and character references decoded; a
  // DOCTYPE is skipped without expanding its entities (no entity bombs, no XXE).
  const pugi::xml_parse_result parsed =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    return make_error(ErrorKind::kParse, std::string("response is not well-formed XML (") +
                                             parsed.description() + " at byte " +
                                             std::to_string(parsed.offset) + ")");
  }
  const pugi::xml_node root = doc.document_element();
  if (!root) return make_error(ErrorKind::kParse, "response has no XML root element");
  return root;
}

Result<pugi::xml_node> load(pugi::xml_document& doc, std::string_view body, std::string_view root) {
  Result<pugi::xml_node> loaded = load_any(doc, body);
  if (!loaded) {
    loaded.error().message = "expected <" + std::string(root) + ">: " + loaded.error().message;
    return loaded;
  }
  if (local_name(*loaded) != root) {
    return make_error(ErrorKind::kParse, "expected <" + std::string(root) +
                                             "> but the response is <" +
                                             std::string(local_name(*loaded).substr(0, 100)) + ">");
  }
  return loaded;
}

}  // namespace ec2rk::ec2api::xml
