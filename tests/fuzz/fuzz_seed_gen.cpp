// Writes the seed corpora of the fuzz targets: realistic nodes (messages with enc children,
// receipts with item lists, usync and prekey results, notifications, every JID kind, a zlib
// compressed frame) encoded by Chorus with both dictionaries, and framed byte streams for the
// frame decoder. With CORPUS_DIR (the interop work folder), the stanzas Baileys encoded for the
// interop corpus (baileys_v2.bin, baileys_v3.bin: 4-byte big-endian length + frame records) are
// added as node seeds too, so fuzzing starts from an independent encoder's output.
// Usage: fuzz_seed_gen OUT_DIR [CORPUS_DIR]   (creates OUT_DIR/node, OUT_DIR/frame and
// OUT_DIR/signal)
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <zlib.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/jid/jid.h"

namespace {

using chorus::core::Bytes;
using chorus::core::binary::AttrValue;
using chorus::core::binary::Children;
using chorus::core::binary::DictVersion;
using chorus::core::binary::Node;
namespace fs = std::filesystem;

std::uint32_t gState = 0x2545F491u;
std::uint8_t nextByte() {
  gState ^= gState << 13;
  gState ^= gState >> 17;
  gState ^= gState << 5;
  return static_cast<std::uint8_t>(gState);
}
Bytes randomBytes(std::size_t n) {
  Bytes b(n);
  for (auto& x : b) x = nextByte();
  return b;
}

AttrValue jid(const char* text) {
  return chorus::core::jid::parse(text).value();
}

Node make(std::string tag, std::vector<std::pair<std::string, AttrValue>> attrs = {},
          chorus::core::binary::Content content = {}) {
  Node n;
  n.tag = std::move(tag);
  for (auto& [k, v] : attrs) n.attrs.push_back({k, std::move(v)});
  n.content = std::move(content);
  return n;
}

std::vector<Node> sampleNodes() {
  std::vector<Node> out;
  out.push_back(make("message",
                     {{"id", std::string("3EB0ABCDEF0123456789AB")},
                      {"from", jid("15551234567@s.whatsapp.net")},
                      {"type", std::string("text")},
                      {"t", std::string("1700000000")},
                      {"notify", std::string("Zoë 😀")}},
                     Children{make("enc", {{"v", std::string("2")}, {"type", std::string("pkmsg")}},
                                   randomBytes(300))}));
  out.push_back(make("message",
                     {{"id", std::string("BAE5F00D")},
                      {"from", jid("120363012345678901@g.us")},
                      {"participant", jid("123456789012345:7@lid")},
                      {"type", std::string("media")}},
                     Children{make("enc", {{"v", std::string("2")}, {"type", std::string("skmsg")}},
                                   randomBytes(1200))}));
  Children items;
  for (int i = 0; i < 40; ++i)
    items.push_back(make("item", {{"id", std::string("3EB0") + std::to_string(1000 + i)}}));
  out.push_back(make("receipt",
                     {{"id", std::string("ABC")},
                      {"from", jid("15551234567:3@s.whatsapp.net")},
                      {"type", std::string("read")}},
                     Children{make("list", {}, std::move(items))}));
  out.push_back(make("ack", {{"class", std::string("message")},
                             {"id", std::string("x")},
                             {"to", jid("status@broadcast")},
                             {"participant", jid("1600000000-1500000000@g.us")}}));
  Children users;
  for (int i = 0; i < 300; ++i) {
    users.push_back(make(
        "user", {{"jid", jid("15550000000@s.whatsapp.net")}},
        Children{make("devices", {},
                      Children{make("device-list", {},
                                    Children{make("device", {{"id", std::string("0")}}),
                                             make("device", {{"id", std::string("12")},
                                                             {"key-index", std::string("3")}})}),
                               make("key-index-list", {{"ts", std::string("1700000000")}},
                                    randomBytes(80))})}));
  }
  out.push_back(make("iq",
                     {{"from", jid("@s.whatsapp.net")},
                      {"type", std::string("result")},
                      {"id", std::string("1.2-3")}},
                     Children{make("usync", {}, Children{make("list", {}, std::move(users))})}));
  out.push_back(make(
      "iq", {{"type", std::string("result")}, {"id", std::string("7")}},
      Children{make(
          "list", {},
          Children{make(
              "user", {{"jid", jid("15551234567:1@s.whatsapp.net")}},
              Children{
                  make("registration", {}, randomBytes(4)), make("identity", {}, randomBytes(32)),
                  make("skey", {},
                       Children{make("id", {}, randomBytes(3)), make("value", {}, randomBytes(32)),
                                make("signature", {}, randomBytes(64))})})})}));
  out.push_back(
      make("notification",
           {{"from", jid("120363000000000000@newsletter")}, {"type", std::string("newsletter")}},
           Children{make("jid", {}, chorus::core::jid::parse("123@lid").value()),
                    make("text", {}, std::string("hello")), make("n", {}, std::string("12-34.5")),
                    make("empty", {}, Children{}), make("b", {}, Bytes{})}));
  out.push_back(make("edge", {{"fb", jid("1234:5@msgr")},
                              {"interop", jid("99:2@interop")},
                              {"hosted", jid("15551234567:99@hosted")},
                              {"hostedlid", jid("1234:1@hosted.lid")},
                              {"agent", jid("15551234567.3:2@s.whatsapp.net")},
                              {"e", std::string()}}));
  out.push_back(make("history", {}, Children{make("enc", {}, randomBytes(70000))}));
  out.push_back(make("xmlstreamend"));
  out.push_back(make("stream:error", {{"code", std::string("515")}}));
  return out;
}

bool writeFile(const fs::path& path, const Bytes& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

Bytes compressFrame(const Bytes& node) {
  uLongf size = compressBound(static_cast<uLong>(node.size()));
  Bytes out(1 + size);
  out[0] = chorus::core::binary::kFlagCompressed;
  if (compress2(out.data() + 1, &size, node.data(), static_cast<uLong>(node.size()),
                Z_BEST_SPEED) != Z_OK)
    return {};
  out.resize(1 + size);
  return out;
}

Bytes framedStream(const std::vector<Bytes>& payloads, bool withIntro, bool withRouting) {
  Bytes s;
  if (withRouting) {
    const Bytes info = randomBytes(9);
    s.insert(s.end(), {'E', 'D', 0, 1});
    chorus::core::putU24BE(s, static_cast<std::uint32_t>(info.size()));
    chorus::core::append(s, info);
  }
  if (withIntro) s.insert(s.end(), {'W', 'A', 6, 3});
  for (const Bytes& p : payloads) {
    chorus::core::putU24BE(s, static_cast<std::uint32_t>(p.size()));
    chorus::core::append(s, p);
  }
  return s;
}

}  // namespace

// Appends Baileys' small frames from one records file as node seeds; -1 when unreadable.
int addBaileysSeeds(const fs::path& records, DictVersion dict, const fs::path& out, int& written) {
  constexpr std::size_t kMaxSeedFrame = 4096;
  constexpr int kMaxSeedsPerDict = 1000;
  std::ifstream in(records, std::ios::binary);
  if (!in) return -1;
  const Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int added = 0;
  for (std::size_t off = 0; off + 4 <= data.size() && added < kMaxSeedsPerDict;) {
    const std::size_t len = chorus::core::readU32BE(data.data() + off);
    off += 4;
    if (len > data.size() - off) return -1;
    if (len < kMaxSeedFrame) {
      Bytes seed{static_cast<std::uint8_t>(dict == DictVersion::V3 ? 1 : 0)};
      seed.insert(seed.end(), data.begin() + static_cast<std::ptrdiff_t>(off),
                  data.begin() + static_cast<std::ptrdiff_t>(off + len));
      if (!writeFile(out / ("baileys_" + std::to_string(written++)), seed)) return -1;
      ++added;
    }
    off += len;
  }
  return added;
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: fuzz_seed_gen OUT_DIR [CORPUS_DIR]\n");
    return 2;
  }
  const fs::path root = argv[1];
  fs::create_directories(root / "node");
  fs::create_directories(root / "frame");
  fs::create_directories(root / "signal");
  // fuzz_signal_session builds its own conversation; its seeds select the unmodified messages
  // (next, late, new ratchet key) and records: {mode, template, cut} with no mask.
  for (std::uint8_t mode = 0; mode < 2; ++mode) {
    for (std::uint8_t pick = 0; pick < 3; ++pick) {
      const Bytes seed{mode, pick, 0};
      const std::string name = "seed_" + std::to_string(mode) + "_" + std::to_string(pick);
      if (!writeFile(root / "signal" / name, seed)) return 1;
    }
  }
  int written = 0;
  std::vector<Bytes> frames;
  for (const Node& node : sampleNodes()) {
    for (const DictVersion dict : {DictVersion::V2, DictVersion::V3}) {
      auto frame = chorus::core::binary::encodeFrame(node, dict);
      if (!frame) {  // a seed less is no reason to skip fuzzing; say so and go on
        std::fprintf(stderr, "fuzz_seed_gen: warning: cannot encode <%s>: %s\n", node.tag.c_str(),
                     chorus::core::describe(frame.error()).c_str());
        continue;
      }
      Bytes seed{static_cast<std::uint8_t>(dict == DictVersion::V3 ? 1 : 0)};
      chorus::core::append(seed, *frame);
      if (!writeFile(root / "node" / ("seed_" + std::to_string(written++)), seed)) return 1;
      if (frame->size() < 4096) frames.push_back(*frame);
      if (node.tag == "iq" || node.tag == "message") {
        Bytes compressed{seed[0]};
        chorus::core::append(compressed, compressFrame(Bytes(frame->begin() + 1, frame->end())));
        if (!writeFile(root / "node" / ("seed_" + std::to_string(written++)), compressed)) return 1;
      }
    }
  }
  // Frame streams: {role/cap selector, chunk seed} + stream.
  const struct {
    std::uint8_t selector;
    bool intro;
    bool routing;
  } kinds[] = {
      {0, false, false}, {1, true, false}, {1, true, true}, {3, true, false}, {2, false, false}};
  int streams = 0;
  for (const auto& k : kinds) {
    Bytes seed{k.selector, static_cast<std::uint8_t>(streams * 37)};
    chorus::core::append(seed, framedStream(frames, k.intro, k.routing));
    if (!writeFile(root / "frame" / ("seed_" + std::to_string(streams++)), seed)) return 1;
  }
  if (argc == 3) {
    const fs::path corpus = argv[2];
    for (const DictVersion dict : {DictVersion::V2, DictVersion::V3}) {
      const fs::path file = corpus / (dict == DictVersion::V2 ? "baileys_v2.bin" : "baileys_v3.bin");
      const int added = addBaileysSeeds(file, dict, root / "node", written);
      if (added < 0) {
        std::fprintf(stderr, "fuzz_seed_gen: cannot read the Baileys corpus %s\n", file.c_str());
        return 1;
      }
      std::printf("fuzz_seed_gen: %d seeds from %s\n", added, file.c_str());
    }
  }
  std::printf("fuzz_seed_gen: %d node seeds, %d frame streams in %s\n", written, streams,
              root.c_str());
  return 0;
}
