// Mustache rendering against a flat environment (name -> string), with the
// semantics dcos-commons gets from mustache.java 0.9.2 (TemplateUtils):
//
// - {{X}} renders X HTML-escaped as mustache.java does: & < > " ' = ` and
//   the control characters 0..13 (so also tab and newline) become character
//   references. {{{X}}} and {{&X}} render X unescaped (use them for JSON such
//   as placement constraints).
// - A value equal to "true" or "false" (any case) is a boolean, as
//   dcos-commons converts it: it renders as "true"/"false" (lower case).
// - {{#X}}...{{/X}} renders its body once when X is truthy and nothing
//   otherwise; {{^X}}...{{/X}} is the inverse. Falsy: unset, "", or "false"
//   (any case). Every other string is truthy, including "0".
// - A {{X}} / {{{X}}} whose X is not in the environment renders empty and is
//   reported as missing, with its line; a missing X in a section or inverted
//   section is not reported (its absence is what the section tests).
// - Partials ({{>x}}) render empty; comments and delimiter changes work.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "keel/result.h"

namespace keel {

struct MissingVariable {
  std::string name;
  int line = 0;  // 1-based line of the tag in the template
  bool operator==(const MissingVariable&) const = default;
};

// Renders `tmpl`; fails (InvalidArgument, with line and column) only when the
// template itself is malformed (unclosed tag or section). Missing variable
// names are appended to `missing` in the order met, when given.
Result<std::string> renderMustache(std::string_view tmpl,
                                   const std::map<std::string, std::string>& env,
                                   std::vector<std::string>* missing = nullptr);

// Same, reporting where each missing variable was used.
Result<std::string> renderMustacheWithLines(std::string_view tmpl,
                                            const std::map<std::string, std::string>& env,
                                            std::vector<MissingVariable>* missing);

// mustache.java 0.9.2's HTML escaping, as applied to {{X}}.
std::string mustacheEscape(std::string_view value);

}  // namespace keel
