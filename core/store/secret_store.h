// SecretStore: the port through which core keeps a few small secrets (each account's data
// key) in the operating system's keychain. app/platform implements it with QtKeychain; tests
// and the CLI's throwaway accounts use MemorySecretStore.
//
// Why callbacks and not plain return values: OS keychains are asynchronous (QtKeychain jobs,
// D-Bus round trips, an unlock prompt the user may leave open for minutes) and core's engine
// thread never blocks. So every call takes a completion that the adapter invokes exactly once,
// on the engine thread. The contract that keeps callers simple:
//   * `done` runs exactly once, possibly before the call returns (MemorySecretStore does);
//     callers must not rely on code after the call running first.
//   * The adapter runs requests one after another in the order made (QtKeychain misbehaves
//     with concurrent jobs), so a read made after a write sees that write.
//   * Errors: Errc::NotFound when no secret has that name (read/remove), Errc::Cancelled when
//     the user dismissed an unlock prompt, Errc::Unsupported when no keychain is available
//     (the caller then asks for a passphrase; never a silent plaintext fallback), Errc::Io
//     for any other failure of the keychain.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::store {

class SecretStore {
 public:
  using ReadDone = std::function<void(Result<SecretBytes>)>;
  using Done = std::function<void(Status)>;

  virtual ~SecretStore() = default;

  virtual void read(const std::string& name, ReadDone done) = 0;
  // Creates or replaces the secret `name`.
  virtual void write(const std::string& name, SecretBytes value, Done done) = 0;
  virtual void remove(const std::string& name, Done done) = 0;
};

// Answers at once from memory. For tests and for accounts that must not outlive the process.
class MemorySecretStore final : public SecretStore {
 public:
  void read(const std::string& name, ReadDone done) override;
  void write(const std::string& name, SecretBytes value, Done done) override;
  void remove(const std::string& name, Done done) override;

  [[nodiscard]] bool contains(const std::string& name) const { return secrets_.count(name) != 0; }

 private:
  std::map<std::string, SecretBytes> secrets_;
};

}  // namespace chorus::core::store
