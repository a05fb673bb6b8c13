// Encoder: Node -> bytes, following the string rules of §4.4 in Baileys' order, so that a node
// decoded from Baileys' bytes re-encodes to the same bytes.
#include <array>
#include <limits>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/tokens.h"

namespace chorus::core::binary {
namespace {

constexpr std::size_t kMaxListSize = 0xffff;
constexpr std::uint64_t kBinary20Limit = std::uint64_t{1} << 20;
constexpr std::uint64_t kBinary32Limit = std::uint64_t{1} << 32;
constexpr std::uint8_t kPackedTerminator = 15;
constexpr std::uint8_t kPackedOddFlag = 0x80;

// Character classes for the packed encodings: a string is nibble-packable when every character
// has kNibble, hex-packable when every character has kHex (uppercase only, as both libraries).
constexpr std::uint8_t kNibble = 1;
constexpr std::uint8_t kHex = 2;

constexpr std::array<std::uint8_t, 256> makeClasses() {
  std::array<std::uint8_t, 256> c{};
  for (int d = '0'; d <= '9'; ++d) c[static_cast<std::size_t>(d)] = kNibble | kHex;
  c['-'] = kNibble;
  c['.'] = kNibble;
  for (int h = 'A'; h <= 'F'; ++h) c[static_cast<std::size_t>(h)] = kHex;
  return c;
}
constexpr auto kClasses = makeClasses();

std::uint8_t nibbleOf(char c) noexcept {
  if (c == '-') return 10;
  if (c == '.') return 11;
  return static_cast<std::uint8_t>(c - '0');
}
std::uint8_t hexOf(char c) noexcept {
  return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'A' + 10);
}

// A rough upper-ish bound of the encoded size, so the output is allocated once.
std::size_t estimateSize(const Node& node) {
  std::size_t n = 4 + node.tag.size();
  for (const Attr& a : node.attrs) {
    n += 4 + a.key.size();
    if (const auto* s = std::get_if<std::string>(&a.value)) {
      n += s->size();
    } else {
      const Jid& j = std::get<Jid>(a.value);
      n += 8 + j.user.size() + j.server.size();
    }
  }
  if (const auto* kids = std::get_if<Children>(&node.content)) {
    n += 3;
    for (const Node& k : *kids) n += estimateSize(k);
  } else if (const auto* b = std::get_if<Bytes>(&node.content)) {
    n += 5 + b->size();
  } else if (const auto* s = std::get_if<std::string>(&node.content)) {
    n += 5 + s->size();
  } else if (const auto* j = std::get_if<Jid>(&node.content)) {
    n += 8 + j->user.size() + j->server.size();
  }
  return n;
}

class Encoder {
 public:
  Encoder(DictVersion dict, Bytes& out) : dict_(dict), out_(out) {}

  [[nodiscard]] const Error& error() const noexcept { return error_; }

  bool writeNode(const Node& node) {
    if (node.tag.empty()) return failWith(Errc::InvalidArgument, "node with an empty tag");
    const bool hasContent = !std::holds_alternative<std::monostate>(node.content);
    const std::size_t size = 1 + 2 * node.attrs.size() + (hasContent ? 1 : 0);
    if (size > kMaxListSize) return failWith(Errc::TooLarge, "too many attributes");
    writeListStart(size);
    if (!writeString(node.tag)) return false;
    for (const Attr& a : node.attrs) {
      if (!writeString(a.key)) return false;
      if (const auto* s = std::get_if<std::string>(&a.value)) {
        if (!writeString(*s)) return false;
      } else {
        if (!writeJid(std::get<Jid>(a.value))) return false;
      }
    }
    return writeContent(node.content);
  }

 private:
  bool writeContent(const Content& content) {
    switch (content.index()) {
      case 0:  // no content
        return true;
      case 1: {
        const Children& kids = std::get<Children>(content);
        if (kids.size() > kMaxListSize) return failWith(Errc::TooLarge, "too many children");
        writeListStart(kids.size());
        for (const Node& k : kids) {
          if (!writeNode(k)) return false;
        }
        return true;
      }
      case 2: {
        const Bytes& b = std::get<Bytes>(content);
        if (!writeByteLength(b.size())) return false;
        out_.insert(out_.end(), b.begin(), b.end());
        return true;
      }
      case 3: return writeString(std::get<std::string>(content));
      default: return writeJid(std::get<Jid>(content));
    }
  }

  void push(std::uint8_t b) { out_.push_back(b); }

  void writeListStart(std::size_t size) {
    if (size == 0) {
      push(tag::kListEmpty);
    } else if (size < 256) {
      push(tag::kList8);
      push(static_cast<std::uint8_t>(size));
    } else {
      push(tag::kList16);
      putU16BE(out_, static_cast<std::uint16_t>(size));
    }
  }

  bool writeByteLength(std::size_t length) {
    if (length < 256) {
      push(tag::kBinary8);
      push(static_cast<std::uint8_t>(length));
    } else if (length < kBinary20Limit) {
      push(tag::kBinary20);
      putU24BE(out_, static_cast<std::uint32_t>(length));
    } else if (length < kBinary32Limit) {
      push(tag::kBinary32);
      putU32BE(out_, static_cast<std::uint32_t>(length));
    } else {
      return failWith(Errc::TooLarge, "string or bytes over 4 GiB");
    }
    return true;
  }

  // §4.4: token, double token, nibble, hex, raw. Never parses '@' (JIDs are typed).
  bool writeString(std::string_view s) {
    if (s.empty()) {
      push(tag::kListEmpty);
      return true;
    }
    TokenCode code;
    if (findToken(dict_, s, code)) {
      if (code.isDouble) push(static_cast<std::uint8_t>(tag::kDictionary0 + code.dict));
      push(code.index);
      return true;
    }
    if (s.size() <= kPackedMax) {
      std::uint8_t common = kNibble | kHex;
      for (char c : s) common &= kClasses[static_cast<unsigned char>(c)];
      if (common & kNibble) {
        writePacked(s, tag::kNibble8, nibbleOf);
        return true;
      }
      if (common & kHex) {
        writePacked(s, tag::kHex8, hexOf);
        return true;
      }
    }
    if (!writeByteLength(s.size())) return false;
    out_.insert(out_.end(), s.begin(), s.end());
    return true;
  }

  void writePacked(std::string_view s, std::uint8_t packedTag, std::uint8_t (*value)(char)) {
    const std::size_t half = s.size() / 2;
    const bool odd = (s.size() % 2) != 0;
    push(packedTag);
    push(static_cast<std::uint8_t>((half + (odd ? 1 : 0)) | (odd ? kPackedOddFlag : 0)));
    for (std::size_t i = 0; i < half; ++i) {
      push(static_cast<std::uint8_t>((value(s[2 * i]) << 4) | value(s[2 * i + 1])));
    }
    if (odd) push(static_cast<std::uint8_t>((value(s.back()) << 4) | kPackedTerminator));
  }

  // The recorded form, unless it cannot carry the JID's device/agent/integrator: then the form
  // that can (a hand-built Jid with a device but the default Pair form still encodes).
  static jid::JidForm effectiveForm(const Jid& j) noexcept {
    if (j.form != jid::JidForm::Pair || (j.device == 0 && j.agent == 0 && j.integrator == 0)) {
      return j.form;
    }
    if (j.server == jid::kMessengerServer) return jid::JidForm::FB;
    if (j.server == jid::kInteropServer) return jid::JidForm::Interop;
    return jid::JidForm::AD;
  }

  bool writeJid(const Jid& j) {
    switch (effectiveForm(j)) {
      case jid::JidForm::Pair:
        if (j.server.empty()) return failWith(Errc::InvalidArgument, "JID without a server");
        push(tag::kJidPair);
        if (!writeString(j.user)) return false;  // "" is written as LIST_EMPTY, as required
        return writeString(j.server);
      case jid::JidForm::AD: {
        std::uint8_t domain = 0;
        if (j.server == jid::kUserServer) {
          // Agent values that are domain bytes would decode as another server.
          if (j.agent == kDomainLid || j.agent == kDomainHosted || j.agent == kDomainHostedLid) {
            return failWith(Errc::InvalidArgument, "JID agent collides with a domain byte");
          }
          domain = j.agent;
        } else if (j.server == jid::kLidServer) {
          domain = kDomainLid;
        } else if (j.server == jid::kHostedServer) {
          domain = kDomainHosted;
        } else if (j.server == jid::kHostedLidServer) {
          domain = kDomainHostedLid;
        } else {
          return failWith(Errc::InvalidArgument, "AD JID on a server without a domain byte");
        }
        if ((domain != j.agent && j.agent != 0) || j.device > 0xff || j.integrator != 0) {
          return failWith(Errc::InvalidArgument, "JID does not fit AD_JID");
        }
        push(tag::kAdJid);
        push(domain);
        push(static_cast<std::uint8_t>(j.device));
        return writeString(j.user);
      }
      case jid::JidForm::FB:
        if (j.server != jid::kMessengerServer || j.agent != 0 || j.integrator != 0) {
          return failWith(Errc::InvalidArgument, "FB JID must be user:device@msgr");
        }
        push(tag::kFbJid);
        if (!writeString(j.user)) return false;
        putU16BE(out_, j.device);
        return writeString(j.server);
      case jid::JidForm::Interop:
        if (j.server != jid::kInteropServer || j.agent != 0) {
          return failWith(Errc::InvalidArgument, "interop JID must be user:device@interop");
        }
        push(tag::kInteropJid);
        if (!writeString(j.user)) return false;
        putU16BE(out_, j.device);
        putU16BE(out_, j.integrator);
        return writeString(j.server);
    }
    return failWith(Errc::InvalidArgument, "unknown JID form");
  }

  bool failWith(Errc code, const char* detail) {
    error_ = Error{code, detail};
    return false;
  }

  DictVersion dict_;
  Bytes& out_;
  Error error_;
};

}  // namespace

Result<Bytes> encode(const Node& node, DictVersion dict) {
  Bytes out;
  out.reserve(estimateSize(node));
  Encoder encoder(dict, out);
  if (!encoder.writeNode(node)) return Unexpected<Error>(encoder.error());
  return out;
}

Result<Bytes> encodeFrame(const Node& node, DictVersion dict) {
  Bytes out;
  out.reserve(1 + estimateSize(node));
  out.push_back(0);  // flags: uncompressed, as both reference clients send
  Encoder encoder(dict, out);
  if (!encoder.writeNode(node)) return Unexpected<Error>(encoder.error());
  return out;
}

}  // namespace chorus::core::binary
