#include "core/store/secret_store.h"

namespace chorus::core::store {

void MemorySecretStore::read(const std::string& name, ReadDone done) {
  const auto it = secrets_.find(name);
  if (it == secrets_.end()) {
    done(fail(Errc::NotFound, "no secret named " + name));
    return;
  }
  done(it->second.clone());
}

void MemorySecretStore::write(const std::string& name, SecretBytes value, Done done) {
  secrets_.insert_or_assign(name, std::move(value));
  done(ok());
}

void MemorySecretStore::remove(const std::string& name, Done done) {
  if (secrets_.erase(name) == 0) {
    done(fail(Errc::NotFound, "no secret named " + name));
    return;
  }
  done(ok());
}

}  // namespace chorus::core::store
