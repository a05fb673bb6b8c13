#include "app/sim/sim_prekey_store.h"

#include "app/sim/sim_sqlite.h"

namespace chorus::sim {

core::Result<std::size_t> SimPreKeyStore::count(std::string_view phone, std::uint32_t device) {
  SqlStatement st(db_, "SELECT COUNT(*) FROM prekeys WHERE phone = ?1 AND device = ?2");
  if (!st.ok()) return st.error("counting prekeys");
  st.bind(1, phone);
  st.bind(2, static_cast<std::int64_t>(device));
  if (!st.stepRow()) return st.error("counting prekeys");
  return static_cast<std::size_t>(st.integer(0));
}

core::Status SimPreKeyStore::add(std::string_view phone, std::uint32_t device,
                                 const std::vector<OneTimePreKey>& keys) {
  // A savepoint, not BEGIN: SimQueue may hold a write batch open on the same connection.
  CHORUS_CHECK(sqlExec(db_, "SAVEPOINT add_prekeys"));
  for (const OneTimePreKey& key : keys) {
    SqlStatement st(db_,
                    "INSERT OR REPLACE INTO prekeys(phone, device, key_id, pub) "
                    "VALUES(?1, ?2, ?3, ?4)");
    if (st.ok()) {
      st.bind(1, phone);
      st.bind(2, static_cast<std::int64_t>(device));
      st.bind(3, static_cast<std::int64_t>(key.id));
      st.bind(4, key.publicKey);
    }
    if (auto saved = st.run("saving prekeys"); !saved) {
      (void)sqlExec(db_, "ROLLBACK TO add_prekeys; RELEASE add_prekeys");
      return saved;
    }
  }
  return sqlExec(db_, "RELEASE add_prekeys");
}

core::Result<std::optional<OneTimePreKey>> SimPreKeyStore::take(std::string_view phone,
                                                                std::uint32_t device) {
  SqlStatement pick(db_,
                    "SELECT key_id, pub FROM prekeys WHERE phone = ?1 AND device = ?2 "
                    "ORDER BY key_id LIMIT 1");
  if (!pick.ok()) return pick.error("reading prekeys");
  pick.bind(1, phone);
  pick.bind(2, static_cast<std::int64_t>(device));
  if (!pick.stepRow()) {
    if (!pick.finished()) return pick.error("reading prekeys");
    return std::optional<OneTimePreKey>();
  }
  OneTimePreKey key{static_cast<std::uint32_t>(pick.integer(0)), pick.blob(1)};
  SqlStatement drop(db_, "DELETE FROM prekeys WHERE phone = ?1 AND device = ?2 AND key_id = ?3");
  if (!drop.ok()) return drop.error("deleting a prekey");
  drop.bind(1, phone);
  drop.bind(2, static_cast<std::int64_t>(device));
  drop.bind(3, static_cast<std::int64_t>(key.id));
  CHORUS_CHECK(drop.run("deleting a prekey"));
  return std::optional<OneTimePreKey>(std::move(key));
}

}  // namespace chorus::sim
