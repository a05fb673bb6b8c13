// SecretBytes: move-only storage for key material, wiped (sodium_memzero) on destruction,
// on move-from and on reassignment. Never printed: it has no stream operator or hex helper.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/util/bytes.h"

namespace chorus::core {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  explicit SecretBytes(BytesView data);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  // An explicit copy, so every duplication of a secret is visible in the code.
  [[nodiscard]] SecretBytes clone() const { return SecretBytes(view()); }

  [[nodiscard]] std::uint8_t* data() noexcept { return data_; }
  [[nodiscard]] const std::uint8_t* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] BytesView view() const noexcept { return {data_, size_}; }
  [[nodiscard]] std::span<std::uint8_t> span() noexcept { return {data_, size_}; }
  [[nodiscard]] bool operator==(const SecretBytes& o) const noexcept {
    return constantTimeEqual(view(), o.view());
  }

  void wipe() noexcept;

 private:
  void release() noexcept;
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace chorus::core
