// TransportCipher: the post-handshake frame cipher (protocol notes §2.6). Each direction has its
// own key and its own counter starting at 0; every frame payload is
// AES-256-GCM(key, iv = 8 zero bytes || counter as 32-bit BE, aad = empty) with the tag appended.
//
// Both directions live in one object: encrypt() uses the write key, decrypt() the read key.
// The AES key schedules are built once, so per-frame cost is one GCM pass and one allocation.
//
// Counters: each encrypt() and each decrypt() attempt consumes one counter value, whether or
// not the frame authenticates (as whatsmeow does), so a caller that chooses to drop a bad frame
// stays in step with the peer. After 2^32 frames in a direction that direction fails with
// Errc::Crypto rather than reusing a nonce.
#pragma once

#include <cstdint>

#include "core/crypto/aes_gcm.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::noise {

class TransportCipher {
 public:
  // Keys are 32 bytes (Errc::InvalidArgument otherwise). The start counters exist for tests of
  // counter exhaustion; a connection always starts both at 0.
  [[nodiscard]] static Result<TransportCipher> create(BytesView writeKey, BytesView readKey,
                                                      std::uint64_t writeCounter = 0,
                                                      std::uint64_t readCounter = 0);

  // One outgoing frame payload: ciphertext || 16-byte tag.
  [[nodiscard]] Result<Bytes> encrypt(BytesView plaintext);
  // One incoming frame payload. Errc::Crypto when it does not authenticate under the next read
  // counter (tampered, reordered, replayed), Errc::Malformed when shorter than a tag.
  [[nodiscard]] Result<Bytes> decrypt(BytesView ciphertext);

  [[nodiscard]] std::uint64_t writeCounter() const noexcept { return writeCounter_; }
  [[nodiscard]] std::uint64_t readCounter() const noexcept { return readCounter_; }

 private:
  TransportCipher(crypto::AesGcm writer, crypto::AesGcm reader, std::uint64_t writeCounter,
                  std::uint64_t readCounter);

  crypto::AesGcm writer_;
  crypto::AesGcm reader_;
  std::uint64_t writeCounter_;
  std::uint64_t readCounter_;
};

}  // namespace chorus::core::noise
