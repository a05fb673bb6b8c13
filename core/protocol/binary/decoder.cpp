// Decoder: bytes -> Node. Input is hostile: every length is checked against the bytes that
// remain before anything is allocated for it, nesting is bounded, and every unknown or
// misplaced tag is Errc::Malformed. JIDs come back as Jid values in the form they arrived in.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/inflate.h"
#include "core/protocol/binary/tokens.h"

namespace chorus::core::binary {
namespace {

constexpr std::size_t kMinNodeBytes = 3;  // LIST_8, size, one-byte tag
constexpr std::size_t kMinAttrBytes = 2;  // one-byte key, one-byte value
constexpr std::size_t kLinearDuplicateScan = 16;

// Packed alphabets (§4.4), expanded to one entry per byte so unpacking is a table lookup.
// Nibbles: 10 '-', 11 '.', 15 the odd-length terminator, 12..14 invalid.
struct PackedPair {
  char chars[2];
  bool valid;        // both halves are characters
  bool validAsLast;  // high half a character, low half anything legal (dropped when odd)
};
constexpr char nibbleChar(unsigned v) noexcept {
  return v < 10 ? static_cast<char>('0' + v) : v == 10 ? '-' : v == 11 ? '.' : '\0';
}
constexpr std::array<PackedPair, 256> makeNibblePairs() {
  std::array<PackedPair, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    const unsigned hi = b >> 4;
    const unsigned lo = b & 0x0f;
    const bool hiOk = hi <= 11;
    t[b] = {{nibbleChar(hi), nibbleChar(lo)}, hiOk && lo <= 11, hiOk && (lo <= 11 || lo == 15)};
  }
  return t;
}
constexpr std::array<PackedPair, 256> makeHexPairs() {
  constexpr char kDigits[] = "0123456789ABCDEF";
  std::array<PackedPair, 256> t{};
  for (unsigned b = 0; b < 256; ++b) t[b] = {{kDigits[b >> 4], kDigits[b & 0x0f]}, true, true};
  return t;
}
constexpr auto kNibblePairs = makeNibblePairs();
constexpr auto kHexPairs = makeHexPairs();

bool isJidTag(std::uint8_t t) noexcept {
  return t == tag::kJidPair || t == tag::kAdJid || t == tag::kFbJid || t == tag::kInteropJid;
}
bool isListTag(std::uint8_t t) noexcept {
  return t == tag::kListEmpty || t == tag::kList8 || t == tag::kList16;
}

class Decoder {
 public:
  Decoder(BytesView data, DictVersion dict, const DecodeLimits& limits)
      : begin_(data.data()),
        p_(data.data()),
        end_(data.data() + data.size()),
        tokens_(tokenTable(dict)),
        limits_(limits) {}

  [[nodiscard]] const Error& error() const noexcept { return error_; }
  [[nodiscard]] bool atEnd() const noexcept { return p_ == end_; }
  [[nodiscard]] std::size_t offset() const noexcept {
    return static_cast<std::size_t>(p_ - begin_);
  }

  bool readNode(Node& node, std::size_t depth) {
    std::uint8_t t = 0;
    std::size_t size = 0;
    if (!readByte(t) || !readListSize(t, size)) return false;
    if (size == 0) return malformed("node is an empty list");
    if (!readByte(t) || !readPlainString(t, node.tag)) return false;
    if (node.tag.empty()) return malformed("node with an empty tag");

    const std::size_t attrCount = (size - 1) / 2;
    if (attrCount > remaining() / kMinAttrBytes) return malformed("attribute count exceeds input");
    node.attrs.resize(attrCount);
    for (Attr& a : node.attrs) {
      if (!readByte(t) || !readPlainString(t, a.key)) return false;
      if (!readByte(t) || !readValue(t, a.value)) return false;
    }
    if (!uniqueKeys(node.attrs)) return malformed("duplicate attribute key");
    if (size % 2 == 1) return true;  // no content
    return readContent(node.content, depth);
  }

  bool malformed(const char* what) { return failWith(Errc::Malformed, what); }

 private:
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - p_); }

  bool failWith(Errc code, const char* what) {
    error_ = Error{code, std::string(what) + " (at byte " + std::to_string(offset()) + ")"};
    return false;
  }
  bool need(std::size_t n) { return n <= remaining() || malformed("truncated input"); }

  bool readByte(std::uint8_t& b) {
    if (!need(1)) return false;
    b = *p_++;
    return true;
  }
  bool readU16(std::uint16_t& v) {
    if (!need(2)) return false;
    v = static_cast<std::uint16_t>((p_[0] << 8) | p_[1]);
    p_ += 2;
    return true;
  }

  bool readListSize(std::uint8_t t, std::size_t& size) {
    if (t == tag::kListEmpty) {
      size = 0;
      return true;
    }
    if (t == tag::kList8) {
      std::uint8_t b = 0;
      if (!readByte(b)) return false;
      size = b;
      return true;
    }
    if (t == tag::kList16) {
      std::uint16_t v = 0;
      if (!readU16(v)) return false;
      size = v;
      return true;
    }
    return malformed("expected a list tag");
  }

  // BINARY_8/20/32 length; the caller checks it against the remaining input.
  bool readByteLength(std::uint8_t t, std::size_t& length) {
    if (t == tag::kBinary8) {
      std::uint8_t b = 0;
      if (!readByte(b)) return false;
      length = b;
    } else if (t == tag::kBinary20) {
      if (!need(3)) return false;
      length = readU24BE(p_) & 0x0fffffu;  // the high nibble is masked, as both libraries do
      p_ += 3;
    } else {
      if (!need(4)) return false;
      length = readU32BE(p_);
      p_ += 4;
    }
    return need(length);
  }

  bool readContent(Content& content, std::size_t depth) {
    std::uint8_t t = 0;
    if (!readByte(t)) return false;
    if (isListTag(t)) {
      std::size_t count = 0;
      if (!readListSize(t, count)) return false;
      Children& kids = content.emplace<Children>();
      if (count == 0) return true;
      if (depth + 1 > limits_.maxDepth)
        return failWith(Errc::TooLarge, "nesting deeper than the limit");
      if (count > remaining() / kMinNodeBytes) return malformed("child count exceeds input");
      kids.resize(count);
      for (Node& k : kids) {
        if (!readNode(k, depth + 1)) return false;
      }
      return true;
    }
    if (t == tag::kBinary8 || t == tag::kBinary20 || t == tag::kBinary32) {
      std::size_t length = 0;
      if (!readByteLength(t, length)) return false;
      content.emplace<Bytes>(p_, p_ + length);
      p_ += length;
      return true;
    }
    if (isJidTag(t)) return readJid(t, content.emplace<Jid>());
    return readStringBody(t, content.emplace<std::string>());
  }

  bool readValue(std::uint8_t t, AttrValue& value) {
    if (isJidTag(t)) return readJid(t, value.emplace<Jid>());
    return readStringBody(t, value.emplace<std::string>());
  }

  bool readPlainString(std::uint8_t t, std::string& out) {
    if (isJidTag(t)) return malformed("JID where a plain string is required");
    return readStringBody(t, out);
  }

  // Every string encoding except JIDs: LIST_EMPTY (""), tokens, packed and raw strings.
  bool readStringBody(std::uint8_t t, std::string& out) {
    if (t == tag::kListEmpty) {
      out.clear();
      return true;
    }
    if (t < kSingleByteTokenCount) {
      out.assign(tokens_.single[t]);
      return true;
    }
    if (t >= tag::kDictionary0 && t <= tag::kDictionary3) {
      std::uint8_t index = 0;
      if (!readByte(index)) return false;
      out.assign(tokens_.dictionaries[t - tag::kDictionary0][index]);
      return true;
    }
    if (t == tag::kNibble8 || t == tag::kHex8) return readPacked(t, out);
    if (t == tag::kBinary8 || t == tag::kBinary20 || t == tag::kBinary32) {
      std::size_t length = 0;
      if (!readByteLength(t, length)) return false;
      out.assign(reinterpret_cast<const char*>(p_), length);
      p_ += length;
      return true;
    }
    return malformed("tag is not a string");
  }

  bool readPacked(std::uint8_t t, std::string& out) {
    std::uint8_t start = 0;
    if (!readByte(start)) return false;
    const std::size_t count = start & 0x7fu;
    const bool odd = (start & 0x80u) != 0;
    if (odd && count == 0) return malformed("odd packed string without bytes");
    if (!need(count)) return false;
    out.resize(count * 2);
    const auto& pairs = t == tag::kNibble8 ? kNibblePairs : kHexPairs;
    char* dst = out.data();
    const std::size_t full = odd ? count - 1 : count;  // bytes holding two characters
    for (std::size_t i = 0; i < full; ++i) {
      const PackedPair& pair = pairs[p_[i]];
      if (!pair.valid) return malformed("invalid nibble");
      dst[2 * i] = pair.chars[0];
      dst[2 * i + 1] = pair.chars[1];
    }
    if (odd) {
      const PackedPair& pair = pairs[p_[count - 1]];
      if (!pair.validAsLast) return malformed("invalid nibble");
      dst[2 * count - 2] = pair.chars[0];
    }
    p_ += count;
    if (odd) out.pop_back();
    return true;
  }

  bool readJid(std::uint8_t t, Jid& j) {
    std::uint8_t b = 0;
    if (t == tag::kJidPair) {
      j.form = jid::JidForm::Pair;
      if (!readByte(b) || !readPlainString(b, j.user)) return false;
      if (!readByte(b) || !readPlainString(b, j.server)) return false;
      return !j.server.empty() || malformed("JID_PAIR without a server");
    }
    if (t == tag::kAdJid) {
      std::uint8_t domain = 0;
      std::uint8_t device = 0;
      if (!readByte(domain) || !readByte(device)) return false;
      j.form = jid::JidForm::AD;
      j.device = device;
      switch (domain) {
        case kDomainWhatsApp: j.server = jid::kUserServer; break;
        case kDomainLid: j.server = jid::kLidServer; break;
        case kDomainHosted: j.server = jid::kHostedServer; break;
        case kDomainHostedLid: j.server = jid::kHostedLidServer; break;
        default:  // an agent on s.whatsapp.net, kept so the JID re-encodes identically
          j.server = jid::kUserServer;
          j.agent = domain;
      }
      return readByte(b) && readPlainString(b, j.user);
    }
    const bool fb = t == tag::kFbJid;
    j.form = fb ? jid::JidForm::FB : jid::JidForm::Interop;
    if (!readByte(b) || !readPlainString(b, j.user) || !readU16(j.device)) return false;
    if (!fb && !readU16(j.integrator)) return false;
    if (!readByte(b) || !readPlainString(b, j.server)) return false;
    if (j.server != (fb ? jid::kMessengerServer : jid::kInteropServer)) {
      return malformed(fb ? "FB_JID server is not msgr" : "INTEROP_JID server is not interop");
    }
    return true;
  }

  static bool uniqueKeys(const std::vector<Attr>& attrs) {
    if (attrs.size() <= kLinearDuplicateScan) {
      for (std::size_t i = 1; i < attrs.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k) {
          if (attrs[i].key == attrs[k].key) return false;
        }
      }
      return true;
    }
    std::vector<std::string_view> keys;
    keys.reserve(attrs.size());
    for (const Attr& a : attrs) keys.push_back(a.key);
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
  }

  const std::uint8_t* begin_;
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  const TokenTable& tokens_;
  const DecodeLimits& limits_;
  Error error_;
};

}  // namespace

Result<Node> decode(BytesView data, DictVersion dict, const DecodeLimits& limits) {
  Decoder decoder(data, dict, limits);
  Node node;
  if (!decoder.readNode(node, 0)) return Unexpected<Error>(decoder.error());
  if (!decoder.atEnd()) {
    (void)decoder.malformed("trailing bytes after the node");
    return Unexpected<Error>(decoder.error());
  }
  return node;
}

Result<Node> decodeFrame(BytesView data, DictVersion dict, const DecodeLimits& limits) {
  if (data.empty()) return fail(Errc::Malformed, "empty frame plaintext");
  const std::uint8_t flags = data[0];
  if ((flags & kFlagCompressed) == 0) return decode(data.subspan(1), dict, limits);
  CHORUS_TRY(inflated, inflateCapped(data.subspan(1), limits.maxInflatedSize));
  return decode(inflated, dict, limits);
}

}  // namespace chorus::core::binary
