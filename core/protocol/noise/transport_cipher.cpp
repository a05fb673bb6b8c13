#include "core/protocol/noise/transport_cipher.h"

#include <utility>

#include "core/protocol/noise/nonce.h"

namespace chorus::core::noise {

TransportCipher::TransportCipher(crypto::AesGcm writer, crypto::AesGcm reader,
                                 std::uint64_t writeCounter, std::uint64_t readCounter)
    : writer_(std::move(writer)),
      reader_(std::move(reader)),
      writeCounter_(writeCounter),
      readCounter_(readCounter) {}

Result<TransportCipher> TransportCipher::create(BytesView writeKey, BytesView readKey,
                                                std::uint64_t writeCounter,
                                                std::uint64_t readCounter) {
  CHORUS_TRY(writer, crypto::AesGcm::create(writeKey));
  CHORUS_TRY(reader, crypto::AesGcm::create(readKey));
  return TransportCipher(std::move(writer), std::move(reader), writeCounter, readCounter);
}

Result<Bytes> TransportCipher::encrypt(BytesView plaintext) {
  if (writeCounter_ >= kMaxNonceCount) return fail(Errc::Crypto, "write counter exhausted");
  const auto iv = ivForCounter(static_cast<std::uint32_t>(writeCounter_++));
  return writer_.seal(iv, {}, plaintext);
}

Result<Bytes> TransportCipher::decrypt(BytesView ciphertext) {
  if (readCounter_ >= kMaxNonceCount) return fail(Errc::Crypto, "read counter exhausted");
  const auto iv = ivForCounter(static_cast<std::uint32_t>(readCounter_++));
  return reader_.open(iv, {}, ciphertext);
}

}  // namespace chorus::core::noise
