#include "tests/interop/baileys_json.h"

#include <variant>

#include "core/util/bytes.h"

namespace chorus::interop {

using core::binary::Node;
using core::jid::Jid;
using core::jid::JidForm;

void appendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

namespace {

void appendNode(std::string& out, const Node& node) {
  out += "{\"tag\":";
  appendJsonString(out, node.tag);
  out += ",\"attrs\":{";
  bool first = true;
  for (const auto& attr : node.attrs) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, attr.key);
    out += ':';
    if (const auto* s = std::get_if<std::string>(&attr.value)) {
      appendJsonString(out, *s);
    } else {
      appendJsonString(out, baileysJidText(std::get<Jid>(attr.value)));
    }
  }
  out += '}';
  std::visit(
      [&out](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return;
        } else if constexpr (std::is_same_v<T, core::binary::Children>) {
          out += ",\"content\":[";
          for (std::size_t i = 0; i < c.size(); ++i) {
            if (i != 0) out += ',';
            appendNode(out, c[i]);
          }
          out += ']';
        } else if constexpr (std::is_same_v<T, core::Bytes>) {
          out += ",\"content\":{\"hex\":\"";
          out += core::toHex(c);
          out += "\"}";
        } else if constexpr (std::is_same_v<T, std::string>) {
          out += ",\"content\":";
          appendJsonString(out, c);
        } else {
          out += ",\"content\":";
          appendJsonString(out, baileysJidText(c));
        }
      },
      node.content);
  out += '}';
}

}  // namespace

std::string baileysJidText(const Jid& jid) {
  switch (jid.form) {
    case JidForm::Pair: return jid.user + "@" + jid.server;
    case JidForm::AD: {
      // Baileys reads the first AD byte as the domain: 0 → s.whatsapp.net, anything else → lid.
      const bool whatsapp = jid.server == core::jid::kUserServer && jid.agent == 0;
      std::string out = jid.user;
      if (jid.device != 0) {
        out += ':';
        out += std::to_string(jid.device);
      }
      out += whatsapp ? "@s.whatsapp.net" : "@lid";
      return out;
    }
    case JidForm::FB:
    case JidForm::Interop: break;
  }
  return "<jid form unknown to Baileys>";
}

std::string toBaileysJson(const Node& node) {
  std::string out;
  appendNode(out, node);
  return out;
}

}  // namespace chorus::interop
