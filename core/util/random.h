// Randomness is injected: production code takes a Random& so tests can make every key,
// nonce and jitter reproducible with SeededRandom.
#pragma once

#include <cstdint>
#include <span>

#include "core/util/bytes.h"
#include "core/util/secret_bytes.h"

namespace chorus::core {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;

  [[nodiscard]] Bytes bytes(std::size_t n);
  [[nodiscard]] SecretBytes secret(std::size_t n);
  [[nodiscard]] std::uint32_t nextU32();
  [[nodiscard]] std::uint64_t nextU64();
  // Uniform in [0, bound) without modulo bias; bound 0 returns 0.
  [[nodiscard]] std::uint32_t uniform(std::uint32_t bound);
  // Uniform double in [0, 1).
  [[nodiscard]] double unit();
};

// The operating system's CSPRNG (libsodium randombytes).
class SystemRandom final : public Random {
 public:
  SystemRandom();
  void fill(std::span<std::uint8_t> out) override;
};

// Deterministic stream (ChaCha20 keyed by the seed) for tests and reproducible corpora.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed);
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::uint8_t key_[32];
  std::uint64_t counter_ = 0;
};

}  // namespace chorus::core
