// AccountRegistry: every number of one Chorus data folder (architecture §2 "No singletons"):
// <data>/accounts/<uuid>/ each holding one Account. Add, list, rename, remove (= logout from the
// server, then delete the folder and the keychain entry). Confined to the engine thread.
//
// Names are unique (case-insensitive); find() takes an id, a unique id prefix of at least 4
// characters, or a name. An account that cannot be opened (keychain refused, key missing,
// damaged database) still appears in list() with `problem` set, so a person can see and remove
// it; nothing in its folder is touched.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/account/account.h"
#include "core/api/account_events.h"
#include "core/store/secret_store.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::core::account {

class AccountRegistry {
 public:
  // Makes the transport of a newly opened account (an AccountDriver in the apps).
  using TransportFactory = std::function<std::unique_ptr<AccountTransport>(Account&)>;

  // `dataDir` holds accounts/ (created on demand, 0700). Everything passed by reference must
  // outlive the registry. Events of every account, and AccountsChanged, go to `listener`.
  AccountRegistry(std::filesystem::path dataDir, store::SecretStore& secrets, Random& random,
                  const Clock& clock, AccountOptions options, TransportFactory transports,
                  AccountListener listener);
  ~AccountRegistry();
  AccountRegistry(const AccountRegistry&) = delete;
  AccountRegistry& operator=(const AccountRegistry&) = delete;

  // Opens every account folder, one after another (the keychain answers one request at a
  // time). Fails only when accounts/ cannot be created or read (Errc::Io naming it); single
  // accounts that fail are listed with their problem.
  void load(std::function<void(Status)> done);
  // Starts every opened account (each connects when linked and autoConnect).
  void startAll();

  // Errc::InvalidArgument for an empty or duplicate name; Errc::Io when the folder cannot be
  // made; SecretStore errors when the data key cannot be stored. Yields the new id.
  void add(std::string name, std::function<void(Result<api::AccountId>)> done);
  Status rename(std::string_view account, std::string name);
  // Logs out (bounded wait for the server), closes the account, deletes its folder and its
  // keychain entry. Errc::NotFound for an unknown account; Errc::Io when the folder could not
  // be deleted (what is left is named).
  void remove(std::string_view account, std::function<void(Status)> done);

  // nullptr when unknown, ambiguous, or listed with a problem.
  [[nodiscard]] Account* find(std::string_view account);
  // Errc::NotFound / Errc::InvalidArgument (ambiguous prefix) / the account's problem.
  [[nodiscard]] Result<Account*> resolve(std::string_view account);
  [[nodiscard]] std::vector<api::AccountSummary> list() const;  // ordered by name
  [[nodiscard]] std::size_t size() const noexcept;

  void onNetworkUp();  // every account
  void closeAll();     // before exit

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chorus::core::account
