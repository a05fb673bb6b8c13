#include "core/protocol/noise/symmetric_state.h"

#include <string_view>

#include "core/crypto/hash.h"
#include "core/protocol/noise/nonce.h"

namespace chorus::core::noise {
namespace {

constexpr std::size_t kHkdfOutputSize = 64;
constexpr std::size_t kHalf = 32;

}  // namespace

SymmetricState::SymmetricState(BytesView prologue)
    : h_(toBytes(std::string_view(kProtocolName, kProtocolNameSize))), ck_(BytesView(h_)) {
  mixHash(prologue);
}

void SymmetricState::mixHash(BytesView data) {
  crypto::Sha256 hasher;
  hasher.update(h_);
  hasher.update(data);
  h_ = hasher.finish();
}

Status SymmetricState::mixKey(BytesView inputKeyMaterial) {
  CHORUS_TRY(okm, crypto::hkdfSha256(inputKeyMaterial, ck_.view(), {}, kHkdfOutputSize));
  ck_ = SecretBytes(okm.view().first(kHalf));
  k_ = SecretBytes(okm.view().subspan(kHalf));
  CHORUS_TRY(cipher, crypto::AesGcm::create(k_.view()));
  cipher_.emplace(std::move(cipher));
  n_ = 0;
  return ok();
}

Status SymmetricState::checkCipher() const {
  if (!cipher_) return fail(Errc::Internal, "noise cipher used before mixKey");
  if (n_ >= kMaxNonceCount) return fail(Errc::Crypto, "noise nonce exhausted");
  return ok();
}

Result<Bytes> SymmetricState::encryptAndHash(BytesView plaintext) {
  CHORUS_CHECK(checkCipher());
  const auto iv = ivForCounter(static_cast<std::uint32_t>(n_));
  CHORUS_TRY(sealed, cipher_->seal(iv, h_, plaintext));
  ++n_;
  mixHash(sealed);
  return sealed;
}

Result<Bytes> SymmetricState::decryptAndHash(BytesView ciphertext) {
  CHORUS_CHECK(checkCipher());
  const auto iv = ivForCounter(static_cast<std::uint32_t>(n_));
  CHORUS_TRY(plain, cipher_->open(iv, h_, ciphertext));
  ++n_;
  mixHash(ciphertext);
  return plain;
}

Result<std::pair<SecretBytes, SecretBytes>> SymmetricState::split() const {
  CHORUS_TRY(okm, crypto::hkdfSha256({}, ck_.view(), {}, kHkdfOutputSize));
  return std::pair<SecretBytes, SecretBytes>(SecretBytes(okm.view().first(kHalf)),
                                             SecretBytes(okm.view().subspan(kHalf)));
}

}  // namespace chorus::core::noise
