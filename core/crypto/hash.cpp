#include "core/crypto/hash.h"

#include <algorithm>
#include <new>

#include <openssl/evp.h>
#include <sodium.h>

#include "core/crypto/crypto_detail.h"

namespace chorus::core::crypto {

namespace {

// RFC 5869 §2.3: at most 255 blocks of output.
constexpr std::size_t kHkdfMaxLength = 255 * kSha256Size;

static_assert(crypto_auth_hmacsha256_BYTES == kSha256Size);

// With a fixed, built-in algorithm the only way these OpenSSL calls fail is running out of
// memory; that is reported like any other allocation failure in C++ rather than as a Result
// every hash caller would have to unwrap.
[[noreturn]] void digestFailed() {
  throw std::bad_alloc();
}

// Fetched once: an implicit fetch per call (EVP_sha256()) costs a lock and a lookup every time,
// and SHA-256 runs for every Noise and Signal message. Never freed: it lives as long as libcrypto.
const EVP_MD* digest(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) digestFailed();
  return md;
}

const EVP_MD* sha256Md() {
  static const EVP_MD* const kMd = digest("SHA256");
  return kMd;
}

const EVP_MD* sha512Md() {
  static const EVP_MD* const kMd = digest("SHA512");
  return kMd;
}

Bytes oneShot(const EVP_MD* md, std::size_t size, BytesView data) {
  Bytes out(size);
  unsigned int written = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &written, md, nullptr) != 1 ||
      written != size) {
    digestFailed();
  }
  return out;
}

// HMAC on libsodium: it takes keys of any length (hashing long ones as RFC 2104 says), never
// fails, and has no per-call setup cost for the short inputs HKDF and Signal feed it.
void hmacInto(BytesView key, std::initializer_list<BytesView> parts, std::uint8_t* out) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, detail::nonNullData(key), key.size());
  for (BytesView part : parts) {
    crypto_auth_hmacsha256_update(&state, detail::nonNullData(part), part.size());
  }
  crypto_auth_hmacsha256_final(&state, out);
  sodium_memzero(&state, sizeof state);
}

}  // namespace

Bytes sha256(BytesView data) {
  return oneShot(sha256Md(), kSha256Size, data);
}

Bytes sha512(BytesView data) {
  return oneShot(sha512Md(), kSha512Size, data);
}

Bytes hmacSha256(BytesView key, BytesView data) {
  detail::ensureSodium();
  Bytes out(kSha256Size);
  hmacInto(key, {data}, out.data());
  return out;
}

struct Sha256::Impl {
  struct CtxFree {
    void operator()(EVP_MD_CTX* md) const { EVP_MD_CTX_free(md); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx;

  Impl() : ctx(EVP_MD_CTX_new()) {
    if (!ctx) digestFailed();
    reset();
  }
  void reset() {
    if (EVP_DigestInit_ex(ctx.get(), sha256Md(), nullptr) != 1) digestFailed();
  }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(BytesView data) {
  if (!impl_) impl_ = std::make_unique<Impl>();  // a moved-from hasher starts afresh
  if (data.empty()) return;
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1) digestFailed();
}

Bytes Sha256::finish() {
  if (!impl_) impl_ = std::make_unique<Impl>();
  Bytes out(kSha256Size);
  unsigned int written = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &written) != 1 || written != kSha256Size) {
    digestFailed();
  }
  impl_->reset();
  return out;
}

Result<SecretBytes> hkdfSha256(BytesView ikm, BytesView salt, BytesView info, std::size_t length) {
  if (length > kHkdfMaxLength) {
    return fail(Errc::InvalidArgument, "hkdf output longer than 255 blocks");
  }
  detail::ensureSodium();

  // Extract. An empty salt is HMAC's zero-padded key, i.e. the HashLen zeros RFC 5869 asks for.
  SecretBytes prk(kSha256Size);
  hmacInto(salt, {ikm}, prk.data());

  // Expand: T(i) = HMAC(PRK, T(i-1) || info || i), T(0) empty.
  SecretBytes okm(length);
  SecretBytes block(kSha256Size);
  std::size_t done = 0;
  std::uint8_t counter = 1;
  while (done < length) {
    const BytesView previous = counter == 1 ? BytesView{} : block.view();
    hmacInto(prk.view(), {previous, info, BytesView{&counter, 1}}, block.data());
    const std::size_t take = std::min(kSha256Size, length - done);
    std::copy_n(block.data(), take, okm.data() + done);
    done += take;
    ++counter;
  }
  return okm;
}

}  // namespace chorus::core::crypto
