// fromText: parses the canonical text form (docs/codec-text-form.md). The input may come from
// a command line or a file, so it is treated as hostile: bounded nesting, every error a
// Errc::Malformed naming the line and column.
#include <algorithm>
#include <charconv>
#include <vector>

#include "core/protocol/binary/text_form.h"
#include "core/protocol/binary/text_syntax.h"

namespace chorus::core::binary {
namespace {

constexpr std::size_t kMaxTextDepth = 512;

int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool uniqueKeys(const std::vector<Attr>& attrs) {
  std::vector<std::string_view> keys;
  keys.reserve(attrs.size());
  for (const Attr& a : attrs) keys.push_back(a.key);
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  bool parseDocument(Node& node) {
    skipSpace();
    if (!parseNode(node, 0)) return false;
    skipSpace();
    return atEnd() || failAt("text after the node");
  }

  [[nodiscard]] const Error& error() const noexcept { return error_; }

 private:
  bool atEnd() const noexcept { return pos_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const noexcept {
    return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0';
  }
  void skipSpace() noexcept {
    while (!atEnd() && text::isSpace(s_[pos_])) ++pos_;
  }
  bool expect(char c) {
    if (peek() != c || atEnd()) return failAt(std::string("expected '") + c + "'");
    ++pos_;
    return true;
  }

  bool failAt(const std::string& what) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error_ = Error{Errc::Malformed, what + " at line " + std::to_string(line) + ", column " +
                                        std::to_string(column)};
    return false;
  }

  bool parseNode(Node& node, std::size_t depth) {
    if (depth > kMaxTextDepth) return failAt("nodes nested too deeply");
    if (!expect('<') || !parseName(node.tag)) return false;
    while (true) {
      skipSpace();
      if (peek() == '/') {
        ++pos_;
        if (!uniqueKeys(node.attrs)) return failAt("duplicate attribute key");
        return expect('>');  // <tag …/>: no content
      }
      if (peek() == '>') {
        ++pos_;
        break;
      }
      Attr& a = node.attrs.emplace_back();
      if (!parseName(a.key)) return false;
      skipSpace();
      if (!expect('=')) return false;
      skipSpace();
      if (peek() == '@') {
        if (!parseJid(a.value.emplace<Jid>())) return false;
      } else if (!parseQuoted(a.value.emplace<std::string>())) {
        return false;
      }
    }
    if (!uniqueKeys(node.attrs)) return failAt("duplicate attribute key");
    if (!parseContent(node.content, depth)) return false;
    // The closing tag: "</" name ">" with the same name.
    std::string closing;
    if (!expect('<') || !expect('/') || !parseName(closing)) return false;
    if (closing != node.tag) return failAt("closing tag does not match");
    skipSpace();
    return expect('>');
  }

  bool parseContent(Content& content, std::size_t depth) {
    skipSpace();
    const char c = peek();
    if (c == '<') {  // children (possibly none: "<x></x>")
      Children& kids = content.emplace<Children>();
      while (peek() == '<' && peek(1) != '/') {
        if (!parseNode(kids.emplace_back(), depth + 1)) return false;
        skipSpace();
      }
      return true;
    }
    if (c == '"') {
      if (!parseQuoted(content.emplace<std::string>())) return false;
    } else if (c == '@') {
      if (!parseJid(content.emplace<Jid>())) return false;
    } else if (c == 'x' && peek(1) == '"') {
      ++pos_;
      if (!parseHex(content.emplace<Bytes>())) return false;
    } else {
      return failAt("expected content, a child node or a closing tag");
    }
    skipSpace();
    return true;
  }

  bool parseName(std::string& out) {
    skipSpace();
    if (peek() == '"') return parseQuoted(out);
    const std::size_t start = pos_;
    while (!atEnd() && text::isBareNameChar(s_[pos_])) ++pos_;
    if (pos_ == start) return failAt("expected a name");
    out.assign(s_.substr(start, pos_ - start));
    return true;
  }

  bool parseQuoted(std::string& out) {
    if (!expect('"')) return false;
    out.clear();
    while (true) {
      if (atEnd()) return failAt("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'x': {
          const int hi = hexValue(peek());
          const int lo = hexValue(peek(1));
          if (hi < 0 || lo < 0) return failAt("bad \\x escape");
          out += static_cast<char>((hi << 4) | lo);
          pos_ += 2;
          break;
        }
        default: --pos_; return failAt("unknown escape");
      }
    }
  }

  // After the 'x': "hex digits" (even count, either case).
  bool parseHex(Bytes& out) {
    if (!expect('"')) return false;
    const std::size_t start = pos_;
    while (!atEnd() && s_[pos_] != '"') ++pos_;
    if (atEnd()) return failAt("unterminated bytes");
    const std::string_view digits = s_.substr(start, pos_ - start);
    if (digits.size() % 2 != 0) return failAt("odd number of hex digits");
    out.reserve(digits.size() / 2);
    for (std::size_t i = 0; i < digits.size(); i += 2) {
      const int hi = hexValue(digits[i]);
      const int lo = hexValue(digits[i + 1]);
      if (hi < 0 || lo < 0) return failAt("bad hex digit in bytes");
      out.push_back(static_cast<std::uint8_t>((hi << 4) | lo));
    }
    ++pos_;  // closing quote
    return true;
  }

  bool parseJid(Jid& out) {
    if (!expect('@')) return false;
    if (peek() == '"') {
      std::string shortText;
      if (!parseQuoted(shortText)) return false;
      auto parsed = jid::parse(shortText);
      if (!parsed) return failAt("bad JID: " + parsed.error().detail);
      out = std::move(*parsed);
      return true;
    }
    if (!expect('{')) return false;
    return parseLongJid(out);
  }

  // form word, then user=… server=… device=N agent=N integrator=N in any order, then '}'.
  bool parseLongJid(Jid& out) {
    std::string form;
    if (!parseName(form)) return false;
    if (form == text::kFormPair) {
      out.form = jid::JidForm::Pair;
    } else if (form == text::kFormAd) {
      out.form = jid::JidForm::AD;
    } else if (form == text::kFormFb) {
      out.form = jid::JidForm::FB;
    } else if (form == text::kFormInterop) {
      out.form = jid::JidForm::Interop;
    } else {
      return failAt("unknown JID form");
    }
    unsigned seen = 0;
    while (true) {
      skipSpace();
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      std::string field;
      if (!parseName(field)) return false;
      skipSpace();
      if (!expect('=')) return false;
      skipSpace();
      const char* const fields[] = {"user", "server", "device", "agent", "integrator"};
      unsigned which = 0;
      while (which < 5 && field != fields[which]) ++which;
      if (which == 5) return failAt("unknown JID field");
      if ((seen & (1u << which)) != 0) return failAt("repeated JID field");
      seen |= 1u << which;
      if (which == 0 && !parseQuoted(out.user)) return false;
      if (which == 1 && !parseQuoted(out.server)) return false;
      unsigned value = 0;
      if (which >= 2 && !parseNumber(which == 3 ? 0xffu : 0xffffu, value)) return false;
      if (which == 2) out.device = static_cast<std::uint16_t>(value);
      if (which == 3) out.agent = static_cast<std::uint8_t>(value);
      if (which == 4) out.integrator = static_cast<std::uint16_t>(value);
    }
  }

  bool parseNumber(unsigned max, unsigned& value) {
    const std::size_t start = pos_;
    while (!atEnd() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    const std::string_view digits = s_.substr(start, pos_ - start);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || digits.size() > 5 || ec != std::errc() || value > max) {
      return failAt("bad JID number");
    }
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  Error error_;
};

}  // namespace

Result<Node> fromText(std::string_view text) {
  Parser parser(text);
  Node node;
  if (!parser.parseDocument(node)) return Unexpected<Error>(parser.error());
  return node;
}

}  // namespace chorus::core::binary
