#include "keel/plan_json.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace keel::plan {
namespace {

using nlohmann::ordered_json;

std::string statusText(ElementStatus s) { return std::string(statusName(s)); }

std::string seedStatus(ElementStatus s) {
  switch (s) {
    case ElementStatus::kPrepared:
    case ElementStatus::kStarting:
    case ElementStatus::kStarted:
      return "IN_PROGRESS";
    case ElementStatus::kDelayed:
      return "PENDING";
    default:
      return statusText(s);
  }
}

std::string stepMessage(const Step& s) {
  if (!s.errors().empty()) {
    std::string out;
    for (const std::string& e : s.errors()) out += (out.empty() ? "" : "; ") + e;
    return out;
  }
  if (s.displayStatus() == ElementStatus::kWaiting) {
    return s.decisionPoint() ? "Waiting for continue (decision point)"
                             : "Waiting for continue (interrupted)";
  }
  if (s.status() == ElementStatus::kDelayed && s.delayedUntil()) {
    return "Delayed until " + formatTime(*s.delayedUntil());
  }
  return s.message();
}

// The bytes of a valid UTF-8 sequence starting at s[i], or 0 when s[i]
// does not start one (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
size_t utf8Length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n = c >= 0xC2 && c <= 0xDF   ? 2
             : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4
                                      : 0;
  if (n == 0 || i + n > s.size()) return 0;
  unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

bool isPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// One character that is not plain, at s[i]; returns the bytes consumed.
size_t appendEscaped(std::string& out, std::string_view s, size_t i) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c >= 0x80) {
    size_t n = utf8Length(s, i);
    out.append(n == 0 ? std::string_view("\xEF\xBF\xBD") : s.substr(i, n));
    return n == 0 ? 1 : n;
  }
  out += '\\';
  if (c == '"' || c == '\\') {
    out += static_cast<char>(c);
  } else if (c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') {
    out += c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : c == '\b' ? 'b' : 'f';
  } else {
    out += "u00";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return 1;
}

// A JSON string as nlohmann's dump() writes it (UTF-8 kept, control
// characters escaped), except that a byte that is not valid UTF-8 becomes
// U+FFFD where dump() would throw. Runs of plain characters are copied whole.
void appendString(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && isPlain(static_cast<unsigned char>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    i = run < s.size() ? run + appendEscaped(out, s, run) : run;
  }
  out += '"';
}

// ,"key":"value" (no comma when first).
void appendField(std::string& out, std::string_view key, std::string_view value,
                 bool first = false) {
  if (!first) out += ',';
  appendString(out, key);
  out += ':';
  appendString(out, value);
}

void appendStringArray(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    appendString(out, values[i]);
  }
  out += ']';
}

// Compact text is written directly (the plan GETs render it under load);
// an indented rendering is that text re-read and pretty-printed.
std::string withIndent(std::string compact, int indent) {
  if (indent < 0) return compact;
  return ordered_json::parse(compact).dump(indent);
}

// Bytes per step in a rendering, for reserving the output once.
constexpr size_t kBytesPerStep = 160;

size_t stepCount(const Plan& plan) {
  size_t n = 0;
  for (const Phase& p : plan.phases()) n += p.steps().size();
  return n;
}

}  // namespace

std::string planToJson(const Plan& plan, int indent) {
  std::string out;
  out.reserve(256 + kBytesPerStep * stepCount(plan));
  out += "{\"phases\":[";
  for (const Phase& p : plan.phases()) {
    if (out.back() != '[') out += ',';
    out += '{';
    appendField(out, "id", p.id(), /*first=*/true);
    appendField(out, "name", p.name());
    out += ",\"steps\":[";
    for (const Step& s : p.steps()) {
      if (out.back() != '[') out += ',';
      out += '{';
      appendField(out, "id", s.id(), /*first=*/true);
      appendField(out, "name", s.name());
      appendField(out, "status", statusName(s.displayStatus()));
      appendField(out, "message", stepMessage(s));
      out += '}';
    }
    out += ']';
    appendField(out, "status", statusName(p.status()));
    appendField(out, "strategy", p.strategy().name());
    out += '}';
  }
  out += "],\"errors\":";
  appendStringArray(out, plan.errors());
  appendField(out, "status", statusName(plan.status()));
  appendField(out, "strategy", plan.strategy().name());
  out += '}';
  return withIndent(std::move(out), indent);
}

std::string planToSeedJson(const Plan& plan, int indent) {
  std::string out;
  out.reserve(256 + kBytesPerStep * stepCount(plan));
  out += "{\"phases\":[";
  for (const Phase& p : plan.phases()) {
    if (out.back() != '[') out += ',';
    out += '{';
    appendField(out, "id", p.id(), /*first=*/true);
    appendField(out, "name", p.name());
    out += ",\"blocks\":[";
    std::unordered_map<std::string_view, size_t> stepsPerInstance;
    for (const Step& s : p.steps()) ++stepsPerInstance[s.podInstance()];
    for (const Step& s : p.steps()) {
      if (out.back() != '[') out += ',';
      std::string message = stepMessage(s);
      // The tutorial's block names: the pod instance, unless it has several steps.
      const std::string& name = !s.podInstance().empty() && stepsPerInstance[s.podInstance()] == 1
                                    ? s.podInstance()
                                    : s.name();
      out += '{';
      appendField(out, "id", s.id(), /*first=*/true);
      appendField(out, "status", seedStatus(s.displayStatus()));
      appendField(out, "name", name);
      appendField(out, "message", message.empty() ? "Block: " + name : message);
      out += s.decisionPoint() ? ",\"has_decision_point\":true}" : ",\"has_decision_point\":false}";
    }
    out += ']';
    appendField(out, "status", seedStatus(p.status()));
    out += '}';
  }
  out += "],\"errors\":";
  appendStringArray(out, plan.errors());
  appendField(out, "status", seedStatus(plan.status()));
  out += '}';
  return withIndent(std::move(out), indent);
}

std::string planTree(const Plan& plan) {
  std::string out = plan.name() + " (" + plan.strategy().name() + " strategy) (" +
                    statusText(plan.status()) + ")\n";
  auto phases = plan.phases();
  for (size_t i = 0; i < phases.size(); ++i) {
    bool lastPhase = i + 1 == phases.size();
    const Phase& p = phases[i];
    out += (lastPhase ? "└─ " : "├─ ") + p.name() + " (" + p.strategy().name() + " strategy) (" +
           statusText(p.status()) + ")\n";
    auto steps = p.steps();
    for (size_t k = 0; k < steps.size(); ++k) {
      out += std::string(lastPhase ? "   " : "│  ") + (k + 1 == steps.size() ? "└─ " : "├─ ") +
             steps[k].name() + " (" + statusText(steps[k].displayStatus()) + ")\n";
    }
  }
  std::vector<std::string> errors = plan.errors();
  if (!errors.empty()) {
    out += "\nErrors:\n";
    for (const std::string& e : errors) out += "- " + e + "\n";
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

int planHttpStatus(const Plan& plan) {
  ElementStatus s = plan.status();
  if (s == ElementStatus::kError) return 417;
  if (s == ElementStatus::kComplete) return 200;
  return 202;
}

}  // namespace keel::plan
