// interop_codec_tool: the C++ side of the codec interop tests (tests/interop/CMakeLists.txt).
//
//   interop_codec_tool dump-tokens --dict 2|3 --out FILE
//       Writes Chorus's token table as {"single": [...], "double": [[...] x4]} for the node side
//       (v2: compared with Baileys' constants.js; v3: Baileys' codec is configured with it).
//   interop_codec_tool verify --dict 2|3 --dir DIR
//       Proof 1: every Baileys-encoded node in DIR/baileys_v<D>.bin decodes in Chorus to the tree
//       Baileys itself decoded (DIR/expected_v<D>.jsonl) and re-encodes byte-exactly.
//       Proof 2 (first half): builds every corpus tree (DIR/corpus_v<D>.tree) in Chorus, encodes
//       it into DIR/chorus_v<D>.bin for node/check_chorus.js, and checks it is byte-identical to
//       Baileys' encoding of the same tree.
// Exit status 0 only when every node passed.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/tokens.h"
#include "tests/interop/baileys_json.h"
#include "tests/interop/corpus_reader.h"

namespace {

using chorus::core::Bytes;
using chorus::core::describe;
using chorus::core::binary::DictVersion;

constexpr int kMaxReported = 8;
constexpr std::size_t kExcerpt = 160;

struct Args {
  std::string command;
  int dict = 0;
  std::string dir;
  std::string out;
};

bool parseArgs(int argc, char** argv, Args& args) {
  if (argc < 2) return false;
  args.command = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--dict")
      args.dict = std::atoi(value.c_str());
    else if (key == "--dir")
      args.dir = value;
    else if (key == "--out")
      args.out = value;
    else
      return false;
  }
  return args.dict == 2 || args.dict == 3;
}

// The part of two long strings around their first difference.
std::string firstDifference(const std::string& want, const std::string& got) {
  std::size_t i = 0;
  while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
  const std::size_t from = i > kExcerpt / 2 ? i - kExcerpt / 2 : 0;
  return "at offset " + std::to_string(i) + "\n    baileys: ..." + want.substr(from, kExcerpt) +
         "\n    chorus:  ..." + got.substr(from, kExcerpt);
}

std::string hexExcerpt(const Bytes& b) {
  const std::string h = chorus::core::toHex(b);
  return h.size() > kExcerpt ? h.substr(0, kExcerpt) + "..." : h;
}

int dumpTokens(const Args& args) {
  const auto& table = chorus::core::binary::tokenTable(static_cast<DictVersion>(args.dict));
  std::string json = "{\"single\":[";
  for (std::size_t i = 0; i < table.single.size(); ++i) {
    if (i != 0) json += ',';
    chorus::interop::appendJsonString(json, table.single[i]);
  }
  json += "],\"double\":[";
  for (std::size_t d = 0; d < table.dictionaries.size(); ++d) {
    if (d != 0) json += ',';
    json += '[';
    for (std::size_t i = 0; i < table.dictionaries[d].size(); ++i) {
      if (i != 0) json += ',';
      chorus::interop::appendJsonString(json, table.dictionaries[d][i]);
    }
    json += ']';
  }
  json += "]}\n";
  std::ofstream out(args.out, std::ios::trunc);
  out << json;
  out.close();
  if (!out) {
    std::fprintf(stderr, "dump-tokens: cannot write %s\n", args.out.c_str());
    return 1;
  }
  return 0;
}

int verify(const Args& args) {
  const auto dict = static_cast<DictVersion>(args.dict);
  const std::string suffix = "_v" + std::to_string(args.dict);
  const auto start = std::chrono::steady_clock::now();

  auto baileys = chorus::interop::readRecords(args.dir + "/baileys" + suffix + ".bin");
  auto expected = chorus::interop::readLines(args.dir + "/expected" + suffix + ".jsonl");
  auto trees = chorus::interop::readRecords(args.dir + "/corpus" + suffix + ".tree");
  if (!baileys || !expected || !trees) {
    std::fprintf(stderr, "verify: cannot read the corpus in %s (run node/gen_corpus.js first)\n",
                 args.dir.c_str());
    return 1;
  }
  const std::size_t count = baileys->size();
  if (expected->size() != count || trees->size() != count) {
    std::fprintf(stderr, "verify: corpus files disagree: %zu records, %zu expected, %zu trees\n",
                 count, expected->size(), trees->size());
    return 1;
  }

  int decodeFailures = 0, jsonMismatches = 0, reencodeMismatches = 0;
  int buildFailures = 0, encodeFailures = 0, encodeDiffers = 0;
  auto report = [](int& counter, std::size_t index, const std::string& what) {
    if (++counter <= kMaxReported) std::fprintf(stderr, "node %zu: %s\n", index, what.c_str());
  };

  std::vector<Bytes> chorusEncoded;
  chorusEncoded.reserve(count);
  std::size_t totalBytes = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Bytes& wire = (*baileys)[i];
    totalBytes += wire.size();

    // Proof 1: Baileys bytes → Chorus tree equals Baileys' own decoding; re-encode is exact.
    auto decoded = chorus::core::binary::decodeFrame(wire, dict);
    if (!decoded) {
      report(decodeFailures, i,
             "decode failed: " + describe(decoded.error()) + "\n    bytes: " + hexExcerpt(wire));
    } else {
      const std::string json = chorus::interop::toBaileysJson(*decoded);
      if (json != (*expected)[i])
        report(jsonMismatches, i, "decoded tree differs " + firstDifference((*expected)[i], json));
      auto again = chorus::core::binary::encodeFrame(*decoded, dict);
      if (!again) {
        report(reencodeMismatches, i, "re-encode failed: " + describe(again.error()));
      } else if (*again != wire) {
        report(reencodeMismatches, i,
               "re-encode differs\n    baileys: " + hexExcerpt(wire) +
                   "\n    chorus:  " + hexExcerpt(*again));
      }
    }

    // Proof 2 (Chorus side): the corpus tree built in Chorus and encoded by Chorus.
    auto built = chorus::interop::parseTypedTree((*trees)[i]);
    if (!built) {
      report(buildFailures, i, "cannot build corpus tree: " + describe(built.error()));
      chorusEncoded.emplace_back();
      continue;
    }
    auto encoded = chorus::core::binary::encodeFrame(*built, dict);
    if (!encoded) {
      report(encodeFailures, i, "encode failed: " + describe(encoded.error()));
      chorusEncoded.emplace_back();
      continue;
    }
    if (*encoded != wire) {
      report(encodeDiffers, i,
             "Chorus encoding differs from Baileys'\n    baileys: " + hexExcerpt(wire) +
                 "\n    chorus:  " + hexExcerpt(*encoded));
    }
    chorusEncoded.push_back(std::move(*encoded));
  }

  const std::string outPath = args.dir + "/chorus" + suffix + ".bin";
  if (auto written = chorus::interop::writeRecords(outPath, chorusEncoded); !written) {
    std::fprintf(stderr, "verify: %s\n", describe(written.error()).c_str());
    return 1;
  }

  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const int failures = decodeFailures + jsonMismatches + reencodeMismatches + buildFailures +
                       encodeFailures + encodeDiffers;
  std::printf(
      "interop_codec_tool verify v%d: %zu nodes (%.1f MiB) in %.0f ms\n"
      "  Baileys bytes -> Chorus decode: %d decode failures, %d tree mismatches\n"
      "  Chorus re-encode of decoded tree: %d not byte-exact\n"
      "  Chorus encode of corpus trees: %d build failures, %d encode failures, %d differ from "
      "Baileys' bytes\n"
      "  wrote %s\n",
      args.dict, count, static_cast<double>(totalBytes) / 1048576.0, ms, decodeFailures,
      jsonMismatches, reencodeMismatches, buildFailures, encodeFailures, encodeDiffers,
      outPath.c_str());
  if (count < 10000) {
    std::fprintf(stderr, "verify: corpus has only %zu nodes (need >= 10000)\n", count);
    return 1;
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parseArgs(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: interop_codec_tool dump-tokens --dict 2|3 --out FILE\n"
                 "       interop_codec_tool verify --dict 2|3 --dir DIR\n");
    return 2;
  }
  if (args.command == "dump-tokens" && !args.out.empty()) return dumpTokens(args);
  if (args.command == "verify" && !args.dir.empty()) return verify(args);
  std::fprintf(stderr, "interop_codec_tool: unknown command %s\n", args.command.c_str());
  return 2;
}
