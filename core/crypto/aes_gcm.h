// AES-256-GCM (OpenSSL) with a 12-byte IV and a 16-byte tag appended to the ciphertext, the
// layout the Noise layer and WhatsApp use. AesGcm keeps its OpenSSL context so a transport
// cipher encrypting thousands of frames does not set up a key schedule per frame.
#pragma once

#include <memory>

#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::crypto {

inline constexpr std::size_t kAesKeySize = 32;
inline constexpr std::size_t kGcmIvSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;

class AesGcm {
 public:
  // Errc::InvalidArgument unless the key is 32 bytes.
  [[nodiscard]] static Result<AesGcm> create(BytesView key);
  AesGcm(AesGcm&&) noexcept;
  AesGcm& operator=(AesGcm&&) noexcept;
  ~AesGcm();

  // ciphertext || tag
  [[nodiscard]] Result<Bytes> seal(BytesView iv, BytesView aad, BytesView plaintext) const;
  // Errc::Crypto when the tag does not verify; Errc::Malformed when shorter than a tag.
  [[nodiscard]] Result<Bytes> open(BytesView iv, BytesView aad, BytesView sealed) const;

 private:
  struct Impl;
  explicit AesGcm(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One-shot helpers.
[[nodiscard]] Result<Bytes> aesGcmEncrypt(BytesView key, BytesView iv, BytesView aad, BytesView plaintext);
[[nodiscard]] Result<Bytes> aesGcmDecrypt(BytesView key, BytesView iv, BytesView aad, BytesView sealed);

}  // namespace chorus::core::crypto
