#include "core/store/data_key.h"

#include <memory>

namespace chorus::core::store {

Result<DataKey> DataKey::fromBytes(SecretBytes bytes) {
  if (bytes.size() != kDataKeySize) {
    return fail(Errc::Crypto,
                "data key must be 32 bytes, the keychain holds " + std::to_string(bytes.size()));
  }
  return DataKey(std::move(bytes));
}

DataKey DataKey::generate(Random& random) {
  return DataKey(random.secret(kDataKeySize));
}

std::string dataKeySecretName(std::string_view accountId) {
  return "chorus/account/" + std::string(accountId) + "/data-key";
}

void readDataKey(SecretStore& secrets, std::string_view accountId, DataKeyDone done) {
  secrets.read(dataKeySecretName(accountId), [done = std::move(done)](Result<SecretBytes> bytes) {
    if (!bytes) {
      done(Unexpected<Error>(std::move(bytes).error()));
      return;
    }
    done(DataKey::fromBytes(std::move(bytes).value()));
  });
}

void createDataKey(SecretStore& secrets, std::string_view accountId, Random& random,
                   DataKeyDone done) {
  // std::function needs a copyable callable: the key waits in a shared slot, wiped with it.
  auto key = std::make_shared<DataKey>(DataKey::generate(random));
  SecretBytes copy(key->view());
  secrets.write(dataKeySecretName(accountId), std::move(copy),
                [key, done = std::move(done)](Status status) {
                  if (!status) {
                    done(Unexpected<Error>(std::move(status).error()));
                    return;
                  }
                  done(key->clone());
                });
}

}  // namespace chorus::core::store
