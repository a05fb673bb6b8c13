// Benchmarks (Google Benchmark, single thread): binary node decode and encode over the mixed
// interop corpus, and Noise transport frame encryption/decryption at 256 B and 64 KiB.
//
// The codec corpus is the Baileys-encoded record file of the interop tests
// (tests/interop/work/baileys_v<D>.bin); point CHORUS_BENCH_CORPUS_DIR at that folder.
// Without it a small built-in corpus is used (enough for the smoke test, not for figures).
// tests/bench/run_codec_bench.sh runs this beside Baileys' codec on the same corpus.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/jid/jid.h"
#include "core/protocol/noise/transport_cipher.h"
#include "tests/interop/corpus_reader.h"

namespace {

using chorus::core::Bytes;
using chorus::core::binary::DictVersion;
using chorus::core::binary::Node;

constexpr std::size_t kCipherBatch = 1024;
// The "small" subset: stanzas without bulky payloads (frame plaintext under 4 KiB), where the
// per-node work rather than memcpy dominates. baileys_codec_bench.js uses the same cut.
constexpr std::size_t kSmallFrameLimit = 4096;

struct Corpus {
  std::vector<Bytes> frames;  // frame plaintext: flags byte + node bytes
  std::vector<Node> nodes;    // the same, decoded
  std::size_t bytes = 0;
  bool builtIn = false;
};

// A few realistic nodes, used when no interop corpus is available.
std::vector<Bytes> builtInFrames(DictVersion dict) {
  std::vector<Bytes> out;
  for (int i = 0; i < 64; ++i) {
    Node msg;
    msg.tag = "message";
    msg.attrs.push_back({"id", std::string("3EB0ABCDEF0123456789") + std::to_string(10 + i)});
    msg.attrs.push_back({"from", chorus::core::jid::parse("15551234567@s.whatsapp.net").value()});
    msg.attrs.push_back({"type", std::string("text")});
    msg.attrs.push_back({"t", std::string("1700000000")});
    Node enc;
    enc.tag = "enc";
    enc.attrs.push_back({"v", std::string("2")});
    enc.attrs.push_back({"type", std::string("msg")});
    enc.content = Bytes(static_cast<std::size_t>(64 + 37 * i), static_cast<std::uint8_t>(i));
    msg.content = chorus::core::binary::Children{std::move(enc)};
    out.push_back(chorus::core::binary::encodeFrame(msg, dict).value());
  }
  return out;
}

const Corpus& corpus(DictVersion dict, bool small = false) {
  static Corpus corpora[4];
  Corpus& c = corpora[(dict == DictVersion::V3 ? 1 : 0) + (small ? 2 : 0)];
  if (!c.frames.empty()) return c;
  if (small) {
    const Corpus& all = corpus(dict);
    for (std::size_t i = 0; i < all.frames.size(); ++i) {
      if (all.frames[i].size() >= kSmallFrameLimit) continue;
      c.frames.push_back(all.frames[i]);
      c.nodes.push_back(all.nodes[i]);
      c.bytes += all.frames[i].size();
    }
    c.builtIn = all.builtIn;
    return c;
  }
  if (const char* dir = std::getenv("CHORUS_BENCH_CORPUS_DIR"); dir != nullptr && *dir != '\0') {
    const std::string path =
        std::string(dir) + "/baileys_v" + std::to_string(static_cast<int>(dict)) + ".bin";
    auto records = chorus::interop::readRecords(path);
    if (!records || records->empty()) {
      std::fprintf(stderr, "codec_bench: cannot read %s\n", path.c_str());
      std::exit(1);
    }
    c.frames = std::move(*records);
  } else {
    c.frames = builtInFrames(dict);
    c.builtIn = true;
  }
  for (const Bytes& f : c.frames) {
    c.bytes += f.size();
    auto node = chorus::core::binary::decodeFrame(f, dict);
    if (!node) {
      std::fprintf(stderr, "codec_bench: corpus node does not decode: %s\n",
                   chorus::core::describe(node.error()).c_str());
      std::exit(1);
    }
    c.nodes.push_back(std::move(*node));
  }
  return c;
}

void setCorpusCounters(benchmark::State& state, const Corpus& c) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(c.frames.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(c.bytes));
  state.counters["corpus_nodes"] = static_cast<double>(c.frames.size());
  state.counters["built_in"] = c.builtIn ? 1 : 0;
}

void BM_CodecDecode(benchmark::State& state) {
  const auto dict = static_cast<DictVersion>(state.range(0));
  const Corpus& c = corpus(dict, state.range(1) != 0);
  for (auto _ : state) {
    for (const Bytes& f : c.frames) {
      auto node = chorus::core::binary::decodeFrame(f, dict);
      benchmark::DoNotOptimize(node);
    }
  }
  setCorpusCounters(state, c);
}

void BM_CodecEncode(benchmark::State& state) {
  const auto dict = static_cast<DictVersion>(state.range(0));
  const Corpus& c = corpus(dict, state.range(1) != 0);
  for (auto _ : state) {
    for (const Node& n : c.nodes) {
      auto bytes = chorus::core::binary::encodeFrame(n, dict);
      benchmark::DoNotOptimize(bytes);
    }
  }
  setCorpusCounters(state, c);
}

// Args: dictionary version, small subset (0 = whole corpus, 1 = frames under 4 KiB). Wall-clock
// rates, like the node side (process.hrtime).
BENCHMARK(BM_CodecDecode)
    ->ArgsProduct({{2, 3}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CodecEncode)
    ->ArgsProduct({{2, 3}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

const Bytes kKeyA(32, 0xA5);
const Bytes kKeyB(32, 0x5A);

void BM_NoiseEncrypt(benchmark::State& state) {
  const Bytes plaintext(static_cast<std::size_t>(state.range(0)), 0x42);
  auto cipher = chorus::core::noise::TransportCipher::create(kKeyA, kKeyB).value();
  for (auto _ : state) {
    auto sealed = cipher.encrypt(plaintext);
    benchmark::DoNotOptimize(sealed);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_NoiseDecrypt(benchmark::State& state) {
  const Bytes plaintext(static_cast<std::size_t>(state.range(0)), 0x42);
  auto sender = chorus::core::noise::TransportCipher::create(kKeyA, kKeyB).value();
  std::vector<Bytes> sealed;
  for (std::size_t i = 0; i < kCipherBatch; ++i)
    sealed.push_back(sender.encrypt(plaintext).value());
  // The receiver's counter must follow the sender's, so it restarts with every batch; one key
  // schedule per 1024 frames is noise in the figure.
  auto receiver = chorus::core::noise::TransportCipher::create(kKeyB, kKeyA).value();
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == kCipherBatch) {
      receiver = chorus::core::noise::TransportCipher::create(kKeyB, kKeyA).value();
      next = 0;
    }
    auto opened = receiver.decrypt(sealed[next++]);
    if (!opened) state.SkipWithError("frame did not authenticate");
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

BENCHMARK(BM_NoiseEncrypt)->Arg(256)->Arg(64 << 10);
BENCHMARK(BM_NoiseDecrypt)->Arg(256)->Arg(64 << 10);

}  // namespace

BENCHMARK_MAIN();
