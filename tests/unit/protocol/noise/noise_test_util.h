// Helpers shared by the noise tests: hex vectors, fixed key pairs and the vector's endpoints.
#pragma once

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

#include "core/crypto/x25519.h"
#include "core/protocol/frame/intro.h"
#include "core/protocol/noise/noise_initiator.h"
#include "core/protocol/noise/noise_responder.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"
#include "tests/unit/protocol/noise/noise_vectors.h"

namespace chorus::core::noise::test {

// Hex from a test vector; a typo fails the test rather than crashing it.
inline Bytes hex(std::string_view text) {
  auto bytes = fromHex(text);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in test vector";
  return bytes.has_value() ? std::move(bytes).value() : Bytes{};
}

// The key pair whose private key is 32 copies of `fill` (the vector's convention).
inline crypto::KeyPair fixedKeyPair(std::uint8_t fill) {
  return crypto::keyPairFromPrivate(Bytes(32, fill)).value();
}

template <class T>
Errc errorOf(const Result<T>& result) {
  EXPECT_FALSE(result.has_value());
  return result.has_value() ? Errc::Internal : result.error().code;
}

// A frame's payload: the vector frames carry a 3-byte length (frame 1 also the intro header).
inline Bytes framePayload(std::string_view frameHex, std::size_t skip = frame::kLengthPrefixSize) {
  const Bytes frame = hex(frameHex);
  return Bytes(frame.begin() + static_cast<std::ptrdiff_t>(skip), frame.end());
}

inline Bytes clientHelloPayload() {
  return framePayload(vectors::kFrame1, frame::kIntroHeaderSize + frame::kLengthPrefixSize);
}

inline TimePoint vectorNow() { return fromUnixSeconds(vectors::kNotBefore + 86400); }

inline Bytes vectorRoot() { return fixedKeyPair(vectors::kRootByte).publicKey; }

inline InitiatorConfig vectorInitiatorConfig() {
  InitiatorConfig config;
  config.prologue = hex(vectors::kPrologue);
  config.staticKey = fixedKeyPair(vectors::kClientStaticByte);
  config.ephemeralKey = fixedKeyPair(vectors::kClientEphemeralByte);
  config.trustedRootKey = vectorRoot();
  return config;
}

inline ResponderConfig vectorResponderConfig() {
  ResponderConfig config;
  config.prologue = hex(vectors::kPrologue);
  config.staticKey = fixedKeyPair(vectors::kServerStaticByte);
  config.ephemeralKey = fixedKeyPair(vectors::kServerEphemeralByte);
  config.certChain = hex(vectors::kCertChain);
  return config;
}

}  // namespace chorus::core::noise::test
