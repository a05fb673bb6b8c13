// DataKey: the random 32-byte key of one account under which every private column of its
// database is encrypted (architecture §2, "Secrets"). It lives in the keychain under
// dataKeySecretName(accountId) and in memory only as wiped SecretBytes.
//
// There is deliberately no "load or create": a missing key for an account that already has a
// database means its data is unreadable, and quietly making a new key would hide that. The
// account decides: createDataKey() for a new account, readDataKey() for an existing one.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/store/secret_store.h"
#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::store {

inline constexpr std::size_t kDataKeySize = 32;

class DataKey {
 public:
  // Errc::Crypto unless `bytes` is exactly 32 bytes (a keychain entry that is not a data key).
  [[nodiscard]] static Result<DataKey> fromBytes(SecretBytes bytes);
  [[nodiscard]] static DataKey generate(Random& random);

  [[nodiscard]] BytesView view() const noexcept { return key_.view(); }
  [[nodiscard]] DataKey clone() const { return DataKey(key_.clone()); }

 private:
  explicit DataKey(SecretBytes key) noexcept : key_(std::move(key)) {}
  SecretBytes key_;
};

// The keychain entry name of an account's data key: "chorus/account/<accountId>/data-key".
[[nodiscard]] std::string dataKeySecretName(std::string_view accountId);

using DataKeyDone = std::function<void(Result<DataKey>)>;

// Reads the account's key. Errc::NotFound when the keychain has none; other SecretStore errors
// pass through unchanged.
void readDataKey(SecretStore& secrets, std::string_view accountId, DataKeyDone done);
// Makes a fresh key, stores it, and hands it over only once the keychain has accepted it.
void createDataKey(SecretStore& secrets, std::string_view accountId, Random& random,
                   DataKeyDone done);

}  // namespace chorus::core::store
