// SimRegistry: the simulator's accounts (phone numbers) and their linked devices, in memory and
// in DATA/sim.db (sqlite3 C API, numbered migrations in PRAGMA user_version), plus the companions
// that are waiting to be paired (memory only: they die with their connection).
//
// Login (§3.6, §15.1) authenticates a device by the Noise static key its handshake proved, so a
// device row is keyed by (phone, device) and carries that key. Writes go to SQLite first and
// only then to memory, so memory never claims what the file does not hold.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/result.h"

struct sqlite3;

namespace chorus::sim {

struct AccountRecord {
  std::string phone;           // digits only, e.g. "15551234567"
  std::string lid;             // the account's LID user part; empty when it has none
  std::int64_t createdAt = 0;  // Unix seconds
};

struct DeviceRecord {
  std::string phone;
  std::uint32_t device = 0;  // 0 is the phone itself, companions are 1..
  core::Bytes noiseKey;      // 32-byte Noise static public key proved at login
  core::Bytes identityKey;   // 32-byte Signal identity public key (may be empty)
  std::uint32_t registrationId = 0;
  std::int64_t createdAt = 0;
};

// What a registration ClientPayload told us, kept until a phone links the companion.
struct PendingCompanion {
  core::Bytes noiseKey;
  core::Bytes identityKey;
  std::uint32_t registrationId = 0;
  std::uint32_t signedPreKeyId = 0;
  core::Bytes signedPreKey;
  core::Bytes signedPreKeySignature;
  std::vector<std::string> refs;  // the QR refs sent in <pair-device>
};

class SimRegistry {
 public:
  // Opens (creating and migrating) the database at `path`. Errc::Storage on any SQLite failure.
  [[nodiscard]] static core::Result<std::unique_ptr<SimRegistry>> open(const std::string& path);
  ~SimRegistry();
  SimRegistry(const SimRegistry&) = delete;
  SimRegistry& operator=(const SimRegistry&) = delete;

  [[nodiscard]] const AccountRecord* findAccount(std::string_view phone) const;
  [[nodiscard]] const DeviceRecord* findDevice(std::string_view phone, std::uint32_t device) const;
  [[nodiscard]] std::size_t deviceCount() const noexcept { return devices_.size(); }

  [[nodiscard]] core::Status putAccount(AccountRecord account);
  [[nodiscard]] core::Status putDevice(DeviceRecord device);  // its account must exist
  [[nodiscard]] core::Status removeDevice(std::string_view phone, std::uint32_t device);

  // Pending companions, by a handle the owning connection keeps and removes when it closes.
  [[nodiscard]] std::uint64_t addPending(PendingCompanion companion);
  void removePending(std::uint64_t handle);
  // The pending companion that was sent `ref`, or nullptr.
  [[nodiscard]] const PendingCompanion* findPendingByRef(std::string_view ref) const;

 private:
  explicit SimRegistry(sqlite3* db) : db_(db) {}
  [[nodiscard]] core::Status migrate();
  [[nodiscard]] core::Status load();
  [[nodiscard]] core::Status exec(const char* sql);

  using DeviceKey = std::pair<std::string, std::uint32_t>;
  sqlite3* db_;
  std::map<std::string, AccountRecord, std::less<>> accounts_;
  std::map<DeviceKey, DeviceRecord> devices_;
  std::map<std::uint64_t, PendingCompanion> pending_;
  std::uint64_t nextPending_ = 1;
};

}  // namespace chorus::sim
