#include "core/store/migrations.h"

#include <string>

namespace chorus::core::store {

int latestVersion(std::span<const Migration> migrations) noexcept {
  return migrations.empty() ? 0 : migrations.back().version;
}

Status migrate(Database& db, std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return fail(Errc::Internal, "migrations must be numbered 1..N in order");
    }
  }
  if (db.transactionDepth() != 0) {
    return fail(Errc::Internal, "migrate() inside an open transaction");
  }
  const int latest = latestVersion(migrations);
  CHORUS_TRY(current, db.userVersion());
  if (current > latest) {
    return fail(Errc::Unsupported, "database schema version " + std::to_string(current) +
                                       " is newer than this Chorus understands (" +
                                       std::to_string(latest) + "); update Chorus");
  }
  for (const Migration& m : migrations.subspan(static_cast<std::size_t>(current))) {
    const std::string label =
        "migration " + std::to_string(m.version) + " (" + std::string(m.name) + ")";
    auto step = [&]() -> Status {
      CHORUS_TRY(tx, db.begin());  // rolls back on every early return below
      CHORUS_CHECK(db.exec(m.sql));
      if (m.apply) CHORUS_CHECK(m.apply(db));
      CHORUS_CHECK(db.setUserVersion(m.version));
      return tx.commit();
    };
    if (auto status = step(); !status) {
      return fail(status.error().code, label + " failed: " + status.error().detail);
    }
  }
  return ok();
}

}  // namespace chorus::core::store
