#include "config/package_template.h"

#include <algorithm>
#include <cctype>
#include <kainjow/mustache.hpp>
#include <vector>

namespace keel::config {
namespace {

namespace km = kainjow::mustache;
using nlohmann::json;

// Each key of the data has a twin, key + kTextSuffix, holding the text a
// variable tag renders; variable tags are rewritten to look the twin up. The
// plain key carries section semantics (false for null, false, 0, "", []),
// which kainjow alone cannot express for 0 and "" while still rendering them.
constexpr char kTextSuffix = '\x01';

int lineAt(const std::string& text, size_t offset) {
  return 1 +
         static_cast<int>(std::count(
             text.begin(), text.begin() + static_cast<long>(std::min(offset, text.size())), '\n'));
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

struct Rewritten {
  std::string text;
  std::vector<size_t> insertedAt;  // offsets in `text` of each added suffix
  size_t originalOffset(size_t rewritten) const {
    auto before = std::lower_bound(insertedAt.begin(), insertedAt.end(), rewritten);
    return rewritten - static_cast<size_t>(before - insertedAt.begin());
  }
};

Result<Rewritten> rewriteVariableTags(const std::string& tmpl, const std::string& name) {
  Rewritten out;
  size_t pos = 0;
  for (size_t open = tmpl.find("{{"); open != std::string::npos; open = tmpl.find("{{", pos)) {
    out.text.append(tmpl, pos, open - pos);
    const bool triple = tmpl.compare(open, 3, "{{{") == 0;
    const std::string close = triple ? "}}}" : "}}";
    const size_t end = tmpl.find(close, open);
    if (end == std::string::npos) {
      return Status::invalidArgument(name + ": line " + std::to_string(lineAt(tmpl, open)) +
                                     ": unclosed tag");
    }
    std::string body = trim(tmpl.substr(open + close.size(), end - open - close.size()));
    const char kind = body.empty() ? '\0' : body[0];
    if (kind == '>' || kind == '=') {
      return Status::unsupported(name + ": line " + std::to_string(lineAt(tmpl, open)) + ": " +
                                 (kind == '>' ? "partials" : "delimiter changes") +
                                 " are not supported in package templates");
    }
    const bool value = triple || kind == '&' || std::string("#^/!").find(kind) == std::string::npos;
    std::string varName = kind == '&' ? trim(body.substr(1)) : body;
    if (!value || varName == "." || varName.empty()) {
      out.text.append(tmpl, open, end + close.size() - open);
    } else {
      out.text += triple ? "{{{" : "{{&";
      out.text += varName;
      out.insertedAt.push_back(out.text.size());
      out.text += kTextSuffix;
      out.text += triple ? "}}}" : "}}";
    }
    pos = end + close.size();
  }
  out.text.append(tmpl, pos, std::string::npos);
  return out;
}

std::string elementText(const json& value) {
  if (value.is_string() || value.is_object() || value.is_null()) return value.dump();
  return templateText(value);
}

bool truthy(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) return value.get<double>() != 0;
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  return !value.is_null();
}

km::data sectionData(const json& value) {
  if (value.is_object()) {
    km::data obj{km::data::type::object};
    for (const auto& [key, child] : value.items()) {
      obj.set(key, sectionData(child));
      obj.set(key + kTextSuffix, km::data(templateText(child)));
    }
    return obj;
  }
  if (value.is_array()) {
    km::data list{km::data::type::list};
    for (const auto& item : value) {
      list.push_back(item.is_object() ? sectionData(item) : km::data(elementText(item)));
    }
    return list;
  }
  return truthy(value) ? km::data(templateText(value)) : km::data(false);
}

// kainjow reports "... at <offset>" in the rewritten text; name the line.
std::string templateError(const std::string& message, const Rewritten& rewritten,
                          const std::string& tmpl, const std::string& name) {
  const size_t at = message.rfind(" at ");
  if (at == std::string::npos) return name + ": " + message;
  const size_t offset = std::stoul(message.substr(at + 4));
  return name + ": line " + std::to_string(lineAt(tmpl, rewritten.originalOffset(offset))) + ": " +
         message.substr(0, at);
}

}  // namespace

std::string templateText(const json& value) {
  if (value.is_string()) {
    const std::string quoted = value.dump();
    return quoted.substr(1, quoted.size() - 2);
  }
  if (value.is_null()) return "";
  if (value.is_array()) {
    std::string out = "[";
    for (const auto& item : value) out += (out.size() > 1 ? ", " : "") + elementText(item);
    return out + "]";
  }
  return value.dump();
}

Result<std::string> renderPackageTemplate(const std::string& tmpl, const json& context,
                                          const std::string& name) {
  KEEL_ASSIGN_OR_RETURN(Rewritten rewritten, rewriteVariableTags(tmpl, name));
  km::mustache compiled(rewritten.text);
  if (!compiled.is_valid()) {
    return Status::invalidArgument(templateError(compiled.error_message(), rewritten, tmpl, name));
  }
  compiled.set_custom_escape([](const std::string& s) { return s; });
  std::string rendered = compiled.render(sectionData(context));
  if (!compiled.is_valid()) {
    return Status::invalidArgument(name + ": " + compiled.error_message());
  }
  return rendered;
}

}  // namespace keel::config
