#include "core/util/random.h"

#include <sodium.h>

#include <cstring>
#include <cstdlib>

namespace chorus::core {

Bytes Random::bytes(std::size_t n) {
  Bytes out(n);
  fill(out);
  return out;
}

SecretBytes Random::secret(std::size_t n) {
  SecretBytes out(n);
  fill(out.span());
  return out;
}

std::uint32_t Random::nextU32() {
  std::uint8_t b[4];
  fill(b);
  return readU32BE(b);
}

std::uint64_t Random::nextU64() { return (std::uint64_t{nextU32()} << 32) | nextU32(); }

std::uint32_t Random::uniform(std::uint32_t bound) {
  if (bound == 0) return 0;
  const std::uint32_t limit = static_cast<std::uint32_t>(-bound) % bound;  // 2^32 mod bound
  for (;;) {
    const std::uint32_t v = nextU32();
    if (v >= limit) return v % bound;
  }
}

double Random::unit() { return static_cast<double>(nextU64() >> 11) * 0x1.0p-53; }

SystemRandom::SystemRandom() {
  // sodium_init is idempotent and thread-safe; without it randombytes may not be seeded.
  if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing in Chorus may run
}

void SystemRandom::fill(std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); }

SeededRandom::SeededRandom(std::uint64_t seed) {
  std::memset(key_, 0, sizeof key_);
  for (int i = 0; i < 8; ++i) key_[i] = static_cast<std::uint8_t>(seed >> (8 * i));
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  // Each call draws a fresh 64-byte-aligned slice of the stream so calls are independent of
  // how the caller splits its requests only through the counter; reproducible per call order.
  std::uint8_t nonce[crypto_stream_chacha20_NONCEBYTES] = {};
  for (int i = 0; i < 8; ++i) nonce[i] = static_cast<std::uint8_t>(counter_ >> (8 * i));
  ++counter_;
  std::memset(out.data(), 0, out.size());
  crypto_stream_chacha20_xor(out.data(), out.data(), out.size(), nonce, key_);
}

}  // namespace chorus::core
