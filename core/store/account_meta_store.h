// AccountMetaStore: the account's own row in its database — the name a person chose, whether
// the engine connects it by itself, the masked phone number shown before the account is opened,
// and when it was made. Nothing here is secret, so it is plain and readable without the data
// key (the registry lists an account whose key is missing under its real name).
#pragma once

#include <string>

#include "core/store/database.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::store {

struct AccountMeta {
  std::string name;
  bool autoConnect = true;
  std::string maskedPhone;  // like maskPhone(); empty until linked
  TimePoint createdAt{};

  [[nodiscard]] bool operator==(const AccountMeta&) const = default;
};

class AccountMetaStore {
 public:
  // `db` must outlive the store. The schema comes from accountMigrations().
  explicit AccountMetaStore(Database& db) noexcept : db_(db) {}

  // Errc::NotFound when the row is missing; Errc::Storage when it is inconsistent.
  [[nodiscard]] Result<AccountMeta> load();
  // Creates or replaces the row (a savepoint inside the caller's transaction).
  [[nodiscard]] Status save(const AccountMeta& meta);

 private:
  Database& db_;
};

}  // namespace chorus::core::store
