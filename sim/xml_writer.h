// Writes EC2 Query API response bodies: an XML declaration, the <ActionResponse> root in
// EC2's namespace, 4-space indentation, `<item>` lists, self-closing empty elements, and the
// namespace-less error envelope. Mirrors the layout of ../shared/testdata/ec2-xml.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ec2rk::sim {

inline constexpr std::string_view kEc2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

// Escapes &, < and > for element text (quotes stay bare, as in EC2's bodies).
std::string xml_escape(std::string_view text);

class XmlWriter {
 public:
  // Starts "<{action}Response xmlns=...>" with <requestId> as its first child.
  XmlWriter(std::string_view action, std::string_view request_id);

  void open(std::string_view name);                         // <name>
  void close();                                             // </name> of the innermost open
  void leaf(std::string_view name, std::string_view text);  // <name>text</name>, <name/> if empty
  void leaf(std::string_view name, bool value);             // true / false
  void leaf(std::string_view name, long long value);
  void leaf(std::string_view name, int value) { leaf(name, static_cast<long long>(value)); }
  void leaf(std::string_view name, const char* text) { leaf(name, std::string_view(text)); }
  void empty(std::string_view name);  // <name/>

  // Closes every open element and returns the document (ends with a newline).
  std::string finish();

 private:
  void indent();
  std::string out_;
  std::vector<std::string> stack_;
};

// <?xml ...?>\n<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
std::string error_xml(std::string_view code, std::string_view message, std::string_view request_id);

}  // namespace ec2rk::sim
