// Printers: the canonical text form (exact, round-trips through fromText) and the redacted
// one-line form for logs.
#include "core/protocol/binary/text_form.h"

#include <algorithm>

#include "core/protocol/binary/text_syntax.h"
#include "core/util/logger.h"

namespace chorus::core::binary {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::size_t kIndentWidth = 2;
constexpr std::size_t kRedactedMaxChildren = 32;
constexpr std::size_t kRedactedMaxValue = 64;
constexpr std::size_t kPhoneLikeDigits = 7;

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629), or 0 when it is not one.
std::size_t utf8Length(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 == 0xe0) lo = 0xa0;  // no overlong forms
    if (b0 == 0xed) hi = 0x9f;  // no surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 == 0xf0) lo = 0x90;
    if (b0 == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) return 0;
  }
  return len;
}

void appendQuoted(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else if (const std::size_t n = b >= 0x80 ? utf8Length(s, i) : 0; n > 0) {
      out.append(s.substr(i, n));  // readable text stays readable
      i += n;
      continue;
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0x0f];
    }
    ++i;
  }
  out += '"';
}

void appendName(std::string& out, std::string_view name) {
  bool bare = !name.empty();
  for (char c : name) bare = bare && text::isBareNameChar(c);
  if (bare) {
    out += name;
  } else {
    appendQuoted(out, name);
  }
}

std::string_view formKeyword(jid::JidForm form) noexcept {
  switch (form) {
    case jid::JidForm::AD: return text::kFormAd;
    case jid::JidForm::FB: return text::kFormFb;
    case jid::JidForm::Interop: return text::kFormInterop;
    case jid::JidForm::Pair: break;
  }
  return text::kFormPair;
}

// @"text" when jid::parse gives back exactly this Jid (form included), else the long form.
void appendJid(std::string& out, const Jid& j) {
  const std::string shortText = jid::format(j);
  if (const auto parsed = jid::parse(shortText); parsed && *parsed == j) {
    out += '@';
    appendQuoted(out, shortText);
    return;
  }
  out += "@{";
  out += formKeyword(j.form);
  out += " user=";
  appendQuoted(out, j.user);
  out += " server=";
  appendQuoted(out, j.server);
  const std::pair<const char*, unsigned> numbers[] = {
      {"device", j.device}, {"agent", j.agent}, {"integrator", j.integrator}};
  for (const auto& [name, value] : numbers) {
    if (value == 0) continue;
    out += ' ';
    out += name;
    out += '=';
    out += std::to_string(value);
  }
  out += '}';
}

void appendNode(std::string& out, const Node& node, TextStyle style, std::size_t depth) {
  out += '<';
  appendName(out, node.tag);
  for (const Attr& a : node.attrs) {
    out += ' ';
    appendName(out, a.key);
    out += '=';
    if (const auto* s = std::get_if<std::string>(&a.value)) {
      appendQuoted(out, *s);
    } else {
      appendJid(out, std::get<Jid>(a.value));
    }
  }
  if (std::holds_alternative<std::monostate>(node.content)) {
    out += "/>";
    return;
  }
  out += '>';
  if (const auto* kids = std::get_if<Children>(&node.content)) {
    const bool indent = style == TextStyle::Indented && !kids->empty();
    for (const Node& k : *kids) {
      if (indent) {
        out += '\n';
        out.append((depth + 1) * kIndentWidth, ' ');
      }
      appendNode(out, k, style, depth + 1);
    }
    if (indent) {
      out += '\n';
      out.append(depth * kIndentWidth, ' ');
    }
  } else if (const auto* b = std::get_if<Bytes>(&node.content)) {
    out += "x\"";
    out += toHex(*b);
    out += '"';
  } else if (const auto* s = std::get_if<std::string>(&node.content)) {
    appendQuoted(out, *s);
  } else {
    appendJid(out, std::get<Jid>(node.content));
  }
  out += "</";
  appendName(out, node.tag);
  out += '>';
}

// --- redacted printer -------------------------------------------------------------------

bool isSensitiveKey(std::string_view key) noexcept {
  return key == "notify" || key == "name" || key == "verified_name" || key == "push_name" ||
         key == "text" || key == "phone" || key == "pn";
}

// Numeric values that are never phone numbers (timestamps, counters, codes).
bool isNumericKey(std::string_view key) noexcept {
  return key == "t" || key == "id" || key == "timestamp" || key == "expiration" || key == "count" ||
         key == "code" || key == "reason" || key == "value" || key == "duration" || key == "v";
}

void appendRedactedValue(std::string& out, std::string_view key, std::string_view value) {
  std::size_t digits = 0;
  for (char c : value) digits += (c >= '0' && c <= '9') ? 1 : 0;
  if (isSensitiveKey(key)) {
    out += "\"<" + std::to_string(value.size()) + " bytes>\"";
  } else if (value.find('@') != std::string_view::npos) {
    appendQuoted(out, maskJid(value));
  } else if (digits == value.size() && digits >= kPhoneLikeDigits && digits <= 15 &&
             !isNumericKey(key)) {
    appendQuoted(out, maskPhone(value));  // could be a phone number
  } else if (value.size() > kRedactedMaxValue) {
    out += "\"<" + std::to_string(value.size()) + " bytes>\"";
  } else {
    appendQuoted(out, value);
  }
}

void appendRedactedJid(std::string& out, const Jid& j) {
  out += '@';
  out += j.user.empty() ? jid::format(j) : maskJid(jid::format(j));
}

void appendRedacted(std::string& out, const Node& node) {
  out += '<';
  appendName(out, node.tag);
  for (const Attr& a : node.attrs) {
    out += ' ';
    appendName(out, a.key);
    out += '=';
    if (const auto* s = std::get_if<std::string>(&a.value)) {
      appendRedactedValue(out, a.key, *s);
    } else {
      appendRedactedJid(out, std::get<Jid>(a.value));
    }
  }
  if (std::holds_alternative<std::monostate>(node.content)) {
    out += "/>";
    return;
  }
  out += '>';
  if (const auto* kids = std::get_if<Children>(&node.content)) {
    const std::size_t shown = std::min(kids->size(), kRedactedMaxChildren);
    for (std::size_t i = 0; i < shown; ++i) appendRedacted(out, (*kids)[i]);
    if (shown < kids->size()) out += "<…" + std::to_string(kids->size() - shown) + " more/>";
  } else if (const auto* b = std::get_if<Bytes>(&node.content)) {
    out += maskBytes(b->size());
  } else if (const auto* s = std::get_if<std::string>(&node.content)) {
    out += "<text, " + std::to_string(s->size()) + " bytes>";
  } else {
    appendRedactedJid(out, std::get<Jid>(node.content));
  }
  out += "</";
  appendName(out, node.tag);
  out += '>';
}

}  // namespace

std::string toText(const Node& node) {
  return toText(node, TextStyle::Indented);
}

std::string toText(const Node& node, TextStyle style) {
  std::string out;
  appendNode(out, node, style, 0);
  return out;
}

std::string toRedactedString(const Node& node) {
  std::string out;
  appendRedacted(out, node);
  return out;
}

}  // namespace chorus::core::binary
