// Signal pairwise sessions (issue 5): encrypt+decrypt pairs of padded 200-byte messages between
// two in-memory devices with core/signal (libsignal-protocol-c behind SessionCipher), timed the
// same way as tests/bench/baileys_signal_bench.js times Baileys' libsignal:
//   * one-way:   A encrypts, B decrypts at once; N times (one symmetric-ratchet step each);
//   * ping-pong: A→B, B→A alternating; every message is a DH ratchet step on receipt.
// Each pass runs on two fresh devices whose session is established untimed (A processes B's
// bundle, sends one pkmsg, B answers), so every timed message is a "msg". A warm-up pass, then
// the median of --passes passes, in wall-clock time and in process CPU time (the machine may be
// shared); the serialized session records of both sides after a pass.
// A plain timed program rather than Google Benchmark: the unit of work is a whole run of N
// stateful pairs, exactly what the Baileys side measures.
//
// Every msg in an established chain takes Chorus's symmetric-ratchet step (symmetric_ratchet.h)
// unless --step libsignal makes libsignal do all of it (for comparison: the same run before and
// after); the share of messages that took Chorus's step is printed.
//
// Usage: signal_bench [--pairs N] [--passes P] [--only one-way|ping-pong]
//                     [--step chorus|libsignal] [--json FILE]
// tests/bench/run_signal_bench.sh runs this beside Baileys and prints the comparison table.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <time.h>

#include "core/signal/padding.h"
#include "core/signal/session_cipher.h"
#include "core/signal/signal_context.h"
#include "core/signal/signal_keys.h"
#include "core/util/random.h"
#include "tests/common/signal_device.h"

namespace {

using chorus::core::Bytes;
using chorus::core::BytesView;
using chorus::core::SystemRandom;
using chorus::core::signal::MessageType;
using chorus::core::signal::SignalAddress;
using chorus::core::signal::SymmetricStep;

constexpr std::size_t kMessageSize = 200;  // before padding (1..15 bytes are added)
constexpr std::size_t kDistinctMessages = 64;
constexpr std::size_t kDefaultPairs = 10000;
constexpr std::size_t kDefaultPasses = 3;
constexpr std::size_t kWarmUpPairs = 2000;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "signal_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T check(chorus::core::Result<T> result, const char* what) {
  if (!result) die(std::string(what) + ": " + chorus::core::describe(result.error()));
  return std::move(*result);
}

// One device: its randomness, in-memory store, Signal context and session cipher.
using Device = chorus::testsupport::SignalDevice<SystemRandom>;

// One encrypt+decrypt pair; the plaintext must come back unchanged.
void pair(Device& from, Device& to, BytesView plaintext, MessageType expected) {
  auto message = check(from.sessions.encrypt(to.address, plaintext), "encrypt");
  if (message.type != expected) die("unexpected message type");
  auto plain = check(to.sessions.decrypt(from.address, message.type, message.bytes), "decrypt");
  if (plain.size() != plaintext.size() ||
      std::memcmp(plain.data(), plaintext.data(), plain.size()) != 0) {
    die("decrypted plaintext differs");
  }
}

double processCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Pass {
  double seconds = 0;
  double cpuSeconds = 0;
  std::size_t sessionA = 0;  // A's record of its session with B, bytes
  std::size_t sessionB = 0;
  double chorusStepShare = 0;  // of the timed messages' encrypts and decrypts
};

enum class Workload { OneWay, PingPong };

Pass runPass(Workload workload, std::size_t pairs, const std::vector<Bytes>& plaintexts,
             SymmetricStep step) {
  Device a("15550000001", 0, step);
  Device b("15550000002", 0, step);
  if (!a.sessions.processBundle(b.address, b.publishBundle())) die("processBundle");
  pair(a, b, plaintexts[0], MessageType::PreKey);
  pair(b, a, plaintexts[1], MessageType::Normal);

  const std::uint64_t stepsBefore = a.sessions.chorusSteps() + b.sessions.chorusSteps();
  const double cpuStart = processCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < pairs; ++i) {
    const Bytes& plaintext = plaintexts[i % plaintexts.size()];
    if (workload == Workload::PingPong && i % 2 == 1) {
      pair(b, a, plaintext, MessageType::Normal);
    } else {
      pair(a, b, plaintext, MessageType::Normal);
    }
  }
  const auto stop = std::chrono::steady_clock::now();
  const double cpu = processCpuSeconds() - cpuStart;
  const std::uint64_t steps = a.sessions.chorusSteps() + b.sessions.chorusSteps() - stepsBefore;
  return {std::chrono::duration<double>(stop - start).count(), cpu,
          a.sessionRecord(b.address).size(), b.sessionRecord(a.address).size(),
          static_cast<double>(steps) / static_cast<double>(2 * pairs)};
}

struct Measured {
  const char* name;
  std::vector<double> seconds;
  std::vector<double> cpuSeconds;
  double pairsPerSecond = 0;     // wall clock
  double pairsPerCpuSecond = 0;  // process CPU time
  Pass last;
};

Measured measure(const char* name, Workload workload, std::size_t pairs, std::size_t passes,
                 const std::vector<Bytes>& plaintexts, SymmetricStep step) {
  Measured r{name, {}, {}, 0, 0, {}};
  runPass(workload, std::min(pairs, kWarmUpPairs), plaintexts, step);
  for (std::size_t i = 0; i < passes; ++i) {
    r.last = runPass(workload, pairs, plaintexts, step);
    r.seconds.push_back(r.last.seconds);
    r.cpuSeconds.push_back(r.last.cpuSeconds);
  }
  r.pairsPerSecond = static_cast<double>(pairs) / median(r.seconds);
  r.pairsPerCpuSecond = static_cast<double>(pairs) / median(r.cpuSeconds);
  std::fprintf(stderr, "chorus  %-9s %8.0f pairs/s, %8.0f per CPU-second (median of %zu:", name,
               r.pairsPerSecond, r.pairsPerCpuSecond, passes);
  for (std::size_t i = 0; i < passes; ++i)
    std::fprintf(stderr, " %.3f/%.3f s", r.seconds[i], r.cpuSeconds[i]);
  std::fprintf(stderr, "); session A %zu B, B %zu B; Chorus's symmetric step %.0f%%\n",
               r.last.sessionA, r.last.sessionB, 100.0 * r.last.chorusStepShare);
  return r;
}

std::size_t parseCount(const char* text, const char* what) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) die(std::string("bad ") + what + ": " + text);
  return static_cast<std::size_t>(v);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t pairs = kDefaultPairs;
  std::size_t passes = kDefaultPasses;
  std::string jsonPath;
  std::string only;
  SymmetricStep step = SymmetricStep::Chorus;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc)
      die("usage: signal_bench [--pairs N] [--passes P] [--only one-way|ping-pong] "
          "[--step chorus|libsignal] [--json FILE]");
    if (arg == "--pairs") {
      pairs = parseCount(argv[++i], "--pairs");
    } else if (arg == "--passes") {
      passes = parseCount(argv[++i], "--passes");
    } else if (arg == "--only") {
      only = argv[++i];
      if (only != "one-way" && only != "ping-pong") die("bad --only: " + only);
    } else if (arg == "--step") {
      const std::string_view value = argv[++i];
      if (value != "chorus" && value != "libsignal") die("bad --step: " + std::string(value));
      step = value == "chorus" ? SymmetricStep::Chorus : SymmetricStep::Libsignal;
    } else if (arg == "--json") {
      jsonPath = argv[++i];
    } else {
      die("unknown argument " + std::string(arg));
    }
  }

  SystemRandom random;
  std::vector<Bytes> plaintexts;
  for (std::size_t i = 0; i < kDistinctMessages; ++i) {
    plaintexts.push_back(chorus::core::signal::padMessage(random.bytes(kMessageSize), random));
  }

  // --only is for profiling one workload; the JSON for the comparison needs both.
  std::vector<Measured> results;
  if (only.empty() || only == "one-way")
    results.push_back(measure("one-way", Workload::OneWay, pairs, passes, plaintexts, step));
  if (only.empty() || only == "ping-pong")
    results.push_back(measure("ping-pong", Workload::PingPong, pairs, passes, plaintexts, step));

  if (!jsonPath.empty()) {
    std::FILE* out = std::fopen(jsonPath.c_str(), "w");
    if (out == nullptr) die("cannot write " + jsonPath);
    std::fprintf(out, "{\"pairs\": %zu, \"messageSize\": %zu, \"workloads\": {", pairs,
                 kMessageSize);
    for (std::size_t i = 0; i < results.size(); ++i) {
      const Measured& r = results[i];
      std::fprintf(out,
                   "%s\"%s\": {\"pairsPerSecond\": %.1f, \"pairsPerCpuSecond\": %.1f, "
                   "\"sessionA\": %zu, \"sessionB\": %zu, \"seconds\": [",
                   i ? ", " : "", r.name, r.pairsPerSecond, r.pairsPerCpuSecond, r.last.sessionA,
                   r.last.sessionB);
      for (std::size_t j = 0; j < r.seconds.size(); ++j)
        std::fprintf(out, "%s%.6f", j ? ", " : "", r.seconds[j]);
      std::fprintf(out, "], \"cpuSeconds\": [");
      for (std::size_t j = 0; j < r.cpuSeconds.size(); ++j)
        std::fprintf(out, "%s%.6f", j ? ", " : "", r.cpuSeconds[j]);
      std::fprintf(out, "]}");
    }
    std::fprintf(out, "}}\n");
    if (std::fclose(out) != 0) die("cannot write " + jsonPath);
  }
  return 0;
}
