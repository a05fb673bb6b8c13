// Internal to core/crypto: OpenSSL's EVP update calls take `int` lengths, so longer inputs are
// fed in slices rather than truncated by a narrowing cast.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>

#include <openssl/evp.h>

#include "core/util/bytes.h"

namespace chorus::core::crypto::detail {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }  // also cleanses
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// Slices of 1 GiB keep every length well inside `int` and block-aligned for CBC.
inline constexpr std::size_t kEvpSlice = std::size_t{1} << 30;

// EVP_CipherUpdate over all of `in`, writing at `out` (nullptr for GCM's AAD). Adds the bytes
// written to `written`. False on any OpenSSL failure.
inline bool cipherUpdate(EVP_CIPHER_CTX* ctx, std::uint8_t* out, BytesView in,
                         std::size_t& written) {
  std::size_t offset = 0;
  while (offset < in.size()) {
    const std::size_t chunk = std::min(kEvpSlice, in.size() - offset);
    int outLen = 0;
    std::uint8_t* dest = out == nullptr ? nullptr : out + written;
    if (EVP_CipherUpdate(ctx, dest, &outLen, in.data() + offset, static_cast<int>(chunk)) != 1 ||
        outLen < 0) {
      return false;
    }
    written += static_cast<std::size_t>(outLen);
    offset += chunk;
  }
  return true;
}

}  // namespace chorus::core::crypto::detail
