// ColumnCipher: encryption of single database values under an account's DataKey.
//
// Stored form:  version (1 byte) ‖ nonce (24) ‖ XChaCha20-Poly1305 ciphertext ‖ tag (16).
// The associated data binds the value to its place, RowId = (table, column, primary key), and
// to the version byte, so a ciphertext copied into another row or column fails to open just
// like one under the wrong key (Errc::Crypto). Version 1 is the only format and key today; the
// byte lets a later key rotation tell old values from new ones.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/store/data_key.h"
#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::store {

inline constexpr std::uint8_t kColumnCipherVersion = 1;
// version + nonce + tag: what encryption adds to a value.
inline constexpr std::size_t kColumnCipherOverhead = 1 + 24 + 16;

// Where a value lives. The primary key is given as text so composite keys can be joined by
// the caller ("<jid>\x1f<device>"); every part is length-prefixed in the associated data.
struct RowId {
  std::string_view table;
  std::string_view column;
  std::string_view primaryKey;
};

class ColumnCipher {
 public:
  // `random` (nonces) must outlive the cipher.
  ColumnCipher(DataKey key, Random& random) noexcept : key_(std::move(key)), random_(&random) {}

  [[nodiscard]] Result<Bytes> seal(const RowId& row, BytesView plaintext) const;
  // Errc::Crypto for a wrong key or a value moved from another row; Errc::Malformed for a
  // value too short to be one; Errc::Unsupported for an unknown version byte.
  [[nodiscard]] Result<SecretBytes> open(const RowId& row, BytesView stored) const;

 private:
  DataKey key_;
  Random* random_;
};

}  // namespace chorus::core::store
