// SimRegistry: the simulator's accounts (phone numbers, each with a simulated phone) and their
// linked devices, in memory and in DATA/sim.db (sqlite3 C API, numbered migrations in PRAGMA
// user_version). The same database holds the prekeys (SimPreKeyStore) and the per-device
// delivery queue (SimQueue), which borrow db().
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
#include "core/util/secret_bytes.h"

struct sqlite3;

namespace chorus::sim {

struct SignedPreKey {
  std::uint32_t id = 0;
  core::Bytes publicKey;  // 32 bytes
  core::Bytes signature;  // 64 bytes, XEdDSA over 05 ‖ publicKey by the identity key
};

struct AccountRecord {
  std::string phone;           // digits only, e.g. "15551234567"
  std::string lid;             // the account's LID user part; empty when it has none
  std::int64_t createdAt = 0;  // Unix seconds
  // The simulated phone (device 0). Its identity key pair is also the ADV account signature
  // key (§6.3 step 5). Empty for accounts seeded without one (they cannot pair devices).
  core::Bytes identityKey;
  core::SecretBytes identityPrivate;
  std::uint32_t registrationId = 0;
  std::uint32_t advRawId = 0;
  std::uint32_t nextKeyIndex = 1;  // ADV key index for the next linked device
  SignedPreKey signedPreKey;
  core::SecretBytes signedPreKeyPrivate;

  [[nodiscard]] bool hasPhone() const noexcept { return identityKey.size() == 32; }
};

struct DeviceRecord {
  std::string phone;
  std::uint32_t device = 0;  // companions are 1..; device 0 is the account's simulated phone
  core::Bytes noiseKey;      // 32-byte Noise static public key proved at login
  core::Bytes identityKey;   // 32-byte Signal identity public key (may be empty)
  std::uint32_t registrationId = 0;
  std::int64_t createdAt = 0;
  std::uint32_t keyIndex = 0;  // ADV key index given at pairing (usync key-index, §8.5)
  SignedPreKey signedPreKey;
};

class SimRegistry {
 public:
  // Opens (creating and migrating) the database at `path`. Errc::Storage on any SQLite failure.
  [[nodiscard]] static core::Result<std::unique_ptr<SimRegistry>> open(const std::string& path);
  ~SimRegistry();
  SimRegistry(const SimRegistry&) = delete;
  SimRegistry& operator=(const SimRegistry&) = delete;

  [[nodiscard]] sqlite3* db() const noexcept { return db_; }

  [[nodiscard]] const AccountRecord* findAccount(std::string_view phone) const;
  [[nodiscard]] const DeviceRecord* findDevice(std::string_view phone, std::uint32_t device) const;
  [[nodiscard]] std::vector<const DeviceRecord*> devicesOf(std::string_view phone) const;
  [[nodiscard]] std::vector<const DeviceRecord*> allDevices() const;
  [[nodiscard]] std::vector<const AccountRecord*> allAccounts() const;
  [[nodiscard]] std::size_t deviceCount() const noexcept { return devices_.size(); }

  [[nodiscard]] core::Status putAccount(AccountRecord account);
  // Hands out the account's next ADV key index and persists the increment.
  [[nodiscard]] core::Result<std::uint32_t> takeKeyIndex(std::string_view phone);
  [[nodiscard]] core::Status putDevice(DeviceRecord device);  // its account must exist
  [[nodiscard]] core::Status removeDevice(std::string_view phone, std::uint32_t device);

 private:
  explicit SimRegistry(sqlite3* db) : db_(db) {}
  [[nodiscard]] core::Status migrate();
  [[nodiscard]] core::Status load();

  using DeviceKey = std::pair<std::string, std::uint32_t>;
  sqlite3* db_;
  std::map<std::string, AccountRecord, std::less<>> accounts_;
  std::map<DeviceKey, DeviceRecord> devices_;
};

}  // namespace chorus::sim
