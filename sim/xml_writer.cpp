#include "sim/xml_writer.h"

namespace ec2rk::sim {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

XmlWriter::XmlWriter(std::string_view action, std::string_view request_id) {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
  std::string root = std::string(action) + "Response";
  out_ += root;
  out_ += " xmlns=\"";
  out_ += kEc2Namespace;
  out_ += "\">\n";
  stack_.push_back(root);
  leaf("requestId", request_id);
}

void XmlWriter::indent() {
  out_.append(stack_.size() * 4, ' ');
}

void XmlWriter::open(std::string_view name) {
  indent();
  out_ += '<';
  out_ += name;
  out_ += ">\n";
  stack_.emplace_back(name);
}

void XmlWriter::close() {
  if (stack_.empty()) return;
  std::string name = std::move(stack_.back());
  stack_.pop_back();
  indent();
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void XmlWriter::leaf(std::string_view name, std::string_view text) {
  if (text.empty()) {
    empty(name);
    return;
  }
  indent();
  out_ += '<';
  out_ += name;
  out_ += '>';
  out_ += xml_escape(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void XmlWriter::leaf(std::string_view name, bool value) {
  leaf(name, std::string_view(value ? "true" : "false"));
}

void XmlWriter::leaf(std::string_view name, long long value) {
  leaf(name, std::string_view(std::to_string(value)));
}

void XmlWriter::empty(std::string_view name) {
  indent();
  out_ += '<';
  out_ += name;
  out_ += "/>\n";
}

std::string XmlWriter::finish() {
  while (!stack_.empty()) close();
  return std::move(out_);
}

std::string error_xml(std::string_view code, std::string_view message,
                      std::string_view request_id) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>";
  out += xml_escape(code);
  out += "</Code><Message>";
  out += xml_escape(message);
  out += "</Message></Error></Errors><RequestID>";
  out += xml_escape(request_id);
  out += "</RequestID></Response>";
  return out;
}

}  // namespace ec2rk::sim
