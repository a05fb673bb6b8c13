// Numbered schema migrations. The database's `PRAGMA user_version` is the number of the last
// migration applied; migrate() applies the later ones in order, each in its own transaction
// together with the new user_version, so a failing step leaves the database exactly as the
// previous step left it. A database from a newer Chorus (user_version beyond the list) is
// refused with Errc::Unsupported and left untouched.
#pragma once

#include <span>
#include <string_view>

#include "core/store/database.h"
#include "core/util/result.h"

namespace chorus::core::store {

struct Migration {
  int version = 0;        // 1, 2, 3 ... without gaps: the position in the list
  std::string_view name;  // for errors and logs: "credentials", "signal sessions"
  std::string_view sql;   // run with Database::exec; may hold several statements
  // Optional data work after `sql`, inside the same transaction (e.g. re-encrypting a column).
  Status (*apply)(Database& db) = nullptr;
};

// The number of the last migration in `migrations` (0 for an empty list).
[[nodiscard]] int latestVersion(std::span<const Migration> migrations) noexcept;

// Brings `db` to latestVersion(migrations). Errc::Internal when the list is not numbered
// 1..N (a bug here, not in the file); Errc::Unsupported for a database from the future.
[[nodiscard]] Status migrate(Database& db, std::span<const Migration> migrations);

}  // namespace chorus::core::store
