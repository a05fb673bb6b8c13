#include "core/util/secret_bytes.h"

#include <sodium.h>

#include <cstring>
#include <utility>

namespace chorus::core {

SecretBytes::SecretBytes(std::size_t size) : data_(size ? new std::uint8_t[size]() : nullptr), size_(size) {}

SecretBytes::SecretBytes(BytesView data) : SecretBytes(data.size()) {
  if (size_) std::memcpy(data_, data.data(), size_);
}

SecretBytes::~SecretBytes() { release(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void SecretBytes::wipe() noexcept {
  if (data_) sodium_memzero(data_, size_);
}

void SecretBytes::release() noexcept {
  wipe();
  delete[] data_;
  data_ = nullptr;
  size_ = 0;
}

}  // namespace chorus::core
