#include "tests/interop/corpus_reader.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "core/protocol/jid/jid.h"

namespace chorus::interop {

using core::Bytes;
using core::BytesView;
using core::Errc;
using core::fail;
using core::Result;
using core::binary::Node;

namespace {

enum class ValueKind : std::uint8_t { String = 0, Jid = 1 };
enum class ContentKind : std::uint8_t { None = 0, Children = 1, Bytes = 2, String = 3, Jid = 4 };
constexpr int kMaxTreeDepth = 256;

class TreeReader {
 public:
  explicit TreeReader(BytesView data) : data_(data) {}

  Result<Node> node(int depth) {
    if (depth > kMaxTreeDepth) return fail(Errc::TooLarge, "typed tree too deep");
    Node out;
    CHORUS_TRY(tag, str());
    out.tag = std::move(tag);
    CHORUS_TRY(count, u16());
    out.attrs.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      CHORUS_TRY(key, str());
      CHORUS_TRY(kind, u8());
      CHORUS_TRY(text, str());
      if (kind == static_cast<std::uint8_t>(ValueKind::Jid)) {
        CHORUS_TRY(parsed, core::jid::parse(text));
        out.attrs.push_back({std::move(key), std::move(parsed)});
      } else {
        out.attrs.push_back({std::move(key), std::move(text)});
      }
    }
    CHORUS_TRY(kind, u8());
    switch (static_cast<ContentKind>(kind)) {
      case ContentKind::None: break;
      case ContentKind::Children: {
        CHORUS_TRY(n, u32());
        core::binary::Children children;
        children.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
          CHORUS_TRY(child, node(depth + 1));
          children.push_back(std::move(child));
        }
        out.content = std::move(children);
        break;
      }
      case ContentKind::Bytes: {
        CHORUS_TRY(n, u32());
        CHORUS_TRY(raw, take(n));
        out.content = core::toBytes(raw);
        break;
      }
      case ContentKind::String: {
        CHORUS_TRY(text, str());
        out.content = std::move(text);
        break;
      }
      case ContentKind::Jid: {
        CHORUS_TRY(text, str());
        CHORUS_TRY(parsed, core::jid::parse(text));
        out.content = std::move(parsed);
        break;
      }
      default: return fail(Errc::Malformed, "typed tree: bad content kind");
    }
    return out;
  }

  [[nodiscard]] bool atEnd() const { return pos_ == data_.size(); }

 private:
  Result<BytesView> take(std::size_t n) {
    if (data_.size() - pos_ < n) return fail(Errc::Malformed, "typed tree truncated");
    BytesView out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  Result<std::uint8_t> u8() {
    CHORUS_TRY(b, take(1));
    return b[0];
  }
  Result<std::uint32_t> u16() {
    CHORUS_TRY(b, take(2));
    return static_cast<std::uint32_t>((b[0] << 8) | b[1]);
  }
  Result<std::uint32_t> u32() {
    CHORUS_TRY(b, take(4));
    return core::readU32BE(b.data());
  }
  Result<std::string> str() {
    CHORUS_TRY(n, u32());
    CHORUS_TRY(b, take(n));
    return std::string(core::asString(b));
  }

  BytesView data_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::Io, "cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<std::string>> readLines(const std::string& path) {
  CHORUS_TRY(text, readFile(path));
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.emplace_back(text, start, end - start);
    start = end + 1;
  }
  return lines;
}

Result<std::vector<Bytes>> readRecords(const std::string& path) {
  CHORUS_TRY(text, readFile(path));
  const BytesView data = core::asBytes(text);
  std::vector<Bytes> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < 4) return fail(Errc::Malformed, path + ": truncated record header");
    const std::size_t len = core::readU32BE(data.data() + pos);
    pos += 4;
    if (data.size() - pos < len) return fail(Errc::Malformed, path + ": truncated record");
    out.push_back(core::toBytes(data.subspan(pos, len)));
    pos += len;
  }
  return out;
}

core::Status writeRecords(const std::string& path, const std::vector<Bytes>& records) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(Errc::Io, "cannot write " + path);
  for (const Bytes& r : records) {
    Bytes len;
    core::putU32BE(len, static_cast<std::uint32_t>(r.size()));
    out.write(reinterpret_cast<const char*>(len.data()), 4);
    out.write(reinterpret_cast<const char*>(r.data()), static_cast<std::streamsize>(r.size()));
  }
  out.close();
  if (!out) return fail(Errc::Io, "short write to " + path);
  return core::ok();
}

Result<Node> parseTypedTree(BytesView record) {
  TreeReader reader(record);
  CHORUS_TRY(node, reader.node(0));
  if (!reader.atEnd()) return fail(Errc::Malformed, "typed tree: trailing bytes");
  return node;
}

}  // namespace chorus::interop
