#include "core/store/column_cipher.h"

#include <string>

#include "core/crypto/secretbox.h"

namespace chorus::core::store {

namespace {

constexpr std::string_view kAadLabel = "chorus column v1";

void putPart(Bytes& out, std::string_view part) {
  putU32BE(out, static_cast<std::uint32_t>(part.size()));
  append(out, asBytes(part));
}

Bytes associatedData(const RowId& row, std::uint8_t version) {
  Bytes aad;
  aad.reserve(kAadLabel.size() + 1 + 12 + row.table.size() + row.column.size() +
              row.primaryKey.size());
  append(aad, asBytes(kAadLabel));
  aad.push_back(version);
  putPart(aad, row.table);
  putPart(aad, row.column);
  putPart(aad, row.primaryKey);
  return aad;
}

}  // namespace

static_assert(kColumnCipherOverhead == 1 + crypto::kAeadNonceSize + crypto::kAeadTagSize);

Result<Bytes> ColumnCipher::seal(const RowId& row, BytesView plaintext) const {
  if (row.table.empty() || row.column.empty()) {
    return fail(Errc::InvalidArgument, "column cipher needs a table and a column");
  }
  CHORUS_TRY(box, crypto::sealWithRandomNonce(
                      key_.view(), associatedData(row, kColumnCipherVersion), plaintext, *random_));
  Bytes stored;
  stored.reserve(1 + box.size());
  stored.push_back(kColumnCipherVersion);
  append(stored, box);
  return stored;
}

Result<SecretBytes> ColumnCipher::open(const RowId& row, BytesView stored) const {
  if (stored.size() < kColumnCipherOverhead) {
    return fail(Errc::Malformed, "encrypted " + std::string(row.table) + "." +
                                     std::string(row.column) + " is too short");
  }
  const std::uint8_t version = stored[0];
  if (version != kColumnCipherVersion) {
    return fail(Errc::Unsupported, "encrypted " + std::string(row.table) + "." +
                                       std::string(row.column) + " has unknown version " +
                                       std::to_string(version));
  }
  auto plain = crypto::openWithNonce(key_.view(), associatedData(row, version), stored.subspan(1));
  if (!plain) {
    if (plain.error().code == Errc::Crypto) {
      return fail(Errc::Crypto, "cannot decrypt " + std::string(row.table) + "." +
                                    std::string(row.column) +
                                    ": wrong data key or value moved from another row");
    }
    return plain;
  }
  return plain;
}

}  // namespace chorus::core::store
