#include "keel/mustache.h"

#include <algorithm>
#include <cctype>
#include <kainjow/mustache.hpp>
#include <optional>
#include <string>
#include <utility>

namespace keel {
namespace {

namespace km = kainjow::mustache;

// Value tags are rewritten to "{{\x01<line>\x01<name>}}" before kainjow sees
// the template, so the context can tell a value lookup (reported when
// missing) from a section lookup (not reported), and knows the tag's line.
constexpr char kValueMark = '\x01';

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A chunk of the rewritten template and where it started in the original.
struct OffsetMap {
  std::vector<std::pair<size_t, size_t>> starts;  // rewritten offset -> original offset
  size_t original(size_t rewritten) const {
    size_t orig = 0, base = 0;
    for (const auto& [rw, o] : starts) {
      if (rw > rewritten) break;
      base = rw;
      orig = o;
    }
    return orig + (rewritten - base);
  }
};

class TagRewriter {
 public:
  explicit TagRewriter(std::string_view t) : t_(t) {}

  std::string run(OffsetMap* offsets) {
    size_t pos = 0;
    while (pos < t_.size()) {
      size_t o = t_.find(open_, pos);
      if (o == std::string_view::npos) break;
      emitText(pos, o);
      std::optional<size_t> next = rewriteTag(o, offsets);
      if (!next) {
        pos = o;
        break;
      }
      pos = *next;
    }
    emitText(pos, t_.size());
    return std::move(out_);
  }

 private:
  void emitText(size_t from, size_t to) {
    if (to <= from) return;
    line_ += static_cast<int>(std::count(t_.begin() + from, t_.begin() + to, '\n'));
    out_.append(t_.substr(from, to - from));
  }

  std::string mark() const {
    return std::string(1, kValueMark) + std::to_string(line_) + kValueMark;
  }

  // Rewrites the tag starting at `o`; returns the offset after it, or nullopt
  // when it is unclosed (left as is, for kainjow to report).
  std::optional<size_t> rewriteTag(size_t o, OffsetMap* offsets) {
    size_t inner = o + open_.size();
    char kind = inner < t_.size() ? t_[inner] : '\0';
    bool triple = kind == '{';
    std::string closeSeq = triple ? "}" + close_ : close_;
    size_t c = t_.find(closeSeq, inner);
    if (c == std::string_view::npos) return std::nullopt;
    size_t end = c + closeSeq.size();
    std::string_view body = t_.substr(inner, c - inner);
    offsets->starts.emplace_back(out_.size(), o);
    if (triple) {
      out_ += open_ + "{" + mark() + trim(body.substr(1)) + closeSeq;
    } else if (kind == '&') {
      out_ += open_ + "&" + mark() + trim(body.substr(1)) + close_;
    } else if (kind == '#' || kind == '^' || kind == '/' || kind == '!' || kind == '>') {
      out_.append(t_.substr(o, end - o));
    } else if (kind == '=') {
      out_.append(t_.substr(o, end - o));
      setDelimiters(body);
    } else {
      out_ += open_ + mark() + trim(body) + close_;
    }
    offsets->starts.emplace_back(out_.size(), end);
    line_ += static_cast<int>(std::count(t_.begin() + o, t_.begin() + end, '\n'));
    return end;
  }

  void setDelimiters(std::string_view body) {
    std::string b = trim(body);
    if (b.size() < 2 || b.back() != '=') return;
    b = trim(std::string_view(b).substr(1, b.size() - 2));
    size_t space = b.find_first_of(" \t");
    if (space == std::string::npos) return;
    open_ = b.substr(0, space);
    close_ = trim(std::string_view(b).substr(space));
  }

  std::string_view t_;
  std::string out_;
  std::string open_ = "{{";
  std::string close_ = "}}";
  int line_ = 1;
};

class EnvContext : public km::basic_context<std::string> {
 public:
  EnvContext(const std::map<std::string, std::string>& env, std::vector<MissingVariable>* missing)
      : missing_(missing) {
    for (const auto& [k, v] : env) {
      bool isTrue = equalsIgnoreCase(v, "true");
      bool isFalse = equalsIgnoreCase(v, "false");
      values_.emplace(k, km::data(isTrue    ? std::string("true")
                                  : isFalse ? std::string("false")
                                            : v));
      if (isFalse || v.empty()) {
        sections_.emplace(k, km::data(false));
      } else {
        sections_.emplace(k, km::data(isTrue ? std::string("true") : v));
      }
    }
  }

  void push(const km::data* data) override { stack_.push_back(data); }
  void pop() override { stack_.pop_back(); }

  const km::data* get(const std::string& name) const override {
    if (name.empty() || name[0] != kValueMark) return lookup(sections_, name);
    size_t second = name.find(kValueMark, 1);
    std::string key = name.substr(second + 1);
    const km::data* found = lookup(values_, key);
    if (found == nullptr && missing_ != nullptr) {
      missing_->push_back({key, std::stoi(name.substr(1, second - 1))});
    }
    return found;
  }

  const km::data* get_partial(const std::string&) const override { return nullptr; }

 private:
  const km::data* lookup(const std::map<std::string, km::data>& m, const std::string& key) const {
    if (key == ".") return stack_.empty() ? nullptr : stack_.back();
    auto it = m.find(key);
    return it == m.end() ? nullptr : &it->second;
  }

  std::map<std::string, km::data> values_;
  std::map<std::string, km::data> sections_;
  std::vector<const km::data*> stack_;
  std::vector<MissingVariable>* missing_;
};

// kainjow reports "... at <offset>"; point at the original line and column.
std::string locateError(const std::string& message, std::string_view tmpl,
                        const OffsetMap& offsets) {
  size_t at = message.rfind(" at ");
  if (at == std::string::npos) return message;
  std::string digits = message.substr(at + 4);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return message;
  size_t pos = std::min(offsets.original(std::stoul(digits)), tmpl.size());
  int line = 1 + static_cast<int>(std::count(tmpl.begin(), tmpl.begin() + pos, '\n'));
  size_t lineStart = tmpl.rfind('\n', pos == 0 ? 0 : pos - 1);
  size_t column = lineStart == std::string_view::npos || pos == 0 ? pos + 1 : pos - lineStart;
  return message.substr(0, at) + " at line " + std::to_string(line) + ", column " +
         std::to_string(column);
}

}  // namespace

std::string mustacheEscape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 13) {
      out += "&#" + std::to_string(u) + ";";
      continue;
    }
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
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '=':
        out += "&#61;";
        break;
      case '`':
        out += "&#96;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<std::string> renderMustacheWithLines(std::string_view tmpl,
                                            const std::map<std::string, std::string>& env,
                                            std::vector<MissingVariable>* missing) {
  OffsetMap offsets;
  std::string rewritten = TagRewriter(tmpl).run(&offsets);
  km::mustache compiled(rewritten);
  if (!compiled.is_valid()) {
    return Status::invalidArgument("mustache: " +
                                   locateError(compiled.error_message(), tmpl, offsets));
  }
  compiled.set_custom_escape([](const std::string& s) { return mustacheEscape(s); });
  EnvContext context(env, missing);
  std::string out = compiled.render(context);
  if (!compiled.is_valid()) {
    return Status::invalidArgument("mustache: " +
                                   locateError(compiled.error_message(), tmpl, offsets));
  }
  return out;
}

Result<std::string> renderMustache(std::string_view tmpl,
                                   const std::map<std::string, std::string>& env,
                                   std::vector<std::string>* missing) {
  std::vector<MissingVariable> found;
  auto rendered = renderMustacheWithLines(tmpl, env, &found);
  if (missing != nullptr) {
    for (auto& m : found) missing->push_back(std::move(m.name));
  }
  return rendered;
}

}  // namespace keel
