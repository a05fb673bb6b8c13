// SHA-256, SHA-512, HMAC-SHA256 and HKDF-SHA256 (RFC 5869) on OpenSSL libcrypto.
#pragma once

#include <memory>

#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::crypto {

inline constexpr std::size_t kSha256Size = 32;
inline constexpr std::size_t kSha512Size = 64;

[[nodiscard]] Bytes sha256(BytesView data);
[[nodiscard]] Bytes sha512(BytesView data);
[[nodiscard]] Bytes hmacSha256(BytesView key, BytesView data);

// Incremental SHA-256 for streamed data (media, hashing several parts without concatenating).
class Sha256 {
 public:
  Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  ~Sha256();
  void update(BytesView data);
  [[nodiscard]] Bytes finish();  // resets the state afterwards

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HKDF-SHA256: extract with `salt` (empty = zeros), expand with `info` to `length` bytes.
// Errc::InvalidArgument when length > 255 * 32.
[[nodiscard]] Result<SecretBytes> hkdfSha256(BytesView ikm, BytesView salt, BytesView info,
                                             std::size_t length);

}  // namespace chorus::core::crypto
