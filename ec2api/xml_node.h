// pugixml helpers for EC2 responses, shared by xml.cpp and the protocol tests.
// Elements are found by LOCAL name (any namespace prefix ignored) and never by
// position; absent elements read as "" / nullopt. Nothing here throws.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ec2api/result.h"

namespace ec2rk::ec2api::xml {

// "ec2:item" -> "item", "item" -> "item".
std::string_view local_name(pugi::xml_node node);

// The first child element whose local name is `path`; a '/'-separated path
// descends ("instanceState/name"). A null node when any step is missing.
pugi::xml_node child(pugi::xml_node node, std::string_view path);

// The text of child(node, path) with entities decoded; "" when absent or empty. Control
// characters (below 0x20, and 0x7f) come back as '?'.
std::string child_text(pugi::xml_node node, std::string_view path);

// "true"/"false" exactly as EC2 writes them; absent or anything else -> nullopt.
std::optional<bool> child_bool(pugi::xml_node node, std::string_view path);

// A decimal integer; absent, malformed or out of range -> nullopt.
std::optional<long long> child_int(pugi::xml_node node, std::string_view path);

// The <item> elements of the list wrapper at `path` ("routeTableSet"), in document
// order; empty when the wrapper is absent or self-closing.
std::vector<pugi::xml_node> items(pugi::xml_node node, std::string_view path);

// Parses `body` into `doc` and returns its root element, which must have the
// local name `root`; otherwise an Error of kind kParse that says what was
// expected and what arrived. DTDs are skipped, never expanded.
Result<pugi::xml_node> load(pugi::xml_document& doc, std::string_view body, std::string_view root);

// Like load() without the root check (any well-formed document).
Result<pugi::xml_node> load_any(pugi::xml_document& doc, std::string_view body);

}  // namespace ec2rk::ec2api::xml
