#include "core/account/account_registry.h"

#include <algorithm>
#include <memory>
#include <set>
#include <system_error>
#include <utility>

#include "core/account/account_folder.h"
#include "core/account/account_id.h"
#include "core/account/account_name.h"
#include "core/store/account_meta_store.h"
#include "core/store/data_key.h"
#include "core/store/database.h"

namespace chorus::core::account {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kAccountsFolder = "accounts";
constexpr std::string_view kDatabaseFile = "chorus.db";
constexpr std::size_t kMinIdPrefix = 4;
constexpr int kMaxIdAttempts = 8;

// What a person can still see of an account that does not open: the plain account row, read
// without the data key and without changing anything (no migration). Empty when unreadable.
std::optional<store::AccountMeta> peekMeta(const fs::path& folder) {
  std::error_code ec;
  const fs::path file = folder / kDatabaseFile;
  if (!fs::exists(file, ec)) return std::nullopt;
  auto db = store::Database::open(file);
  if (!db) return std::nullopt;
  auto meta = store::AccountMetaStore(**db).load();
  if (!meta) return std::nullopt;
  return std::move(*meta);
}

}  // namespace

struct AccountRegistry::Impl {
  struct Entry {
    api::AccountId id;
    fs::path folder;
    std::unique_ptr<Account> account;  // null when it could not be opened
    api::AccountSummary broken;        // the summary listed while account is null
    Error problem;
    bool removing = false;
    bool closed = false;                  // closeAll(): the account takes no more inputs
    std::function<void(Status)> removed;  // remove()'s completion while waiting for logout
  };

  Impl(fs::path dataDirIn, store::SecretStore& secretsIn, Random& randomIn, const Clock& clockIn,
       AccountOptions optionsIn, TransportFactory transportsIn, AccountListener listenerIn)
      : accountsDir(std::move(dataDirIn) / kAccountsFolder),
        secrets(secretsIn),
        random(randomIn),
        clock(clockIn),
        options(std::move(optionsIn)),
        transports(std::move(transportsIn)),
        listener(std::move(listenerIn)) {}

  void emit(const api::AccountEvent& event) const {
    if (listener && !destroying) listener(event);
  }

  [[nodiscard]] Entry* byId(std::string_view id) {
    for (auto& entry : entries) {
      if (entry->id == id) return entry.get();
    }
    return nullptr;
  }

  [[nodiscard]] static std::string nameOf(const Entry& entry) {
    return entry.account ? entry.account->summary().name : entry.broken.name;
  }

  // Exact id, then a name (any case), then a unique id prefix of at least 4 characters.
  [[nodiscard]] Result<Entry*> lookup(std::string_view text) {
    if (Entry* entry = byId(text)) return entry;
    for (auto& entry : entries) {
      if (sameAccountName(nameOf(*entry), text)) return entry.get();
    }
    if (text.size() >= kMinIdPrefix) {
      Entry* match = nullptr;
      int matches = 0;
      for (auto& entry : entries) {
        if (std::string_view(entry->id).starts_with(text)) {
          match = entry.get();
          ++matches;
        }
      }
      if (matches > 1) {
        return fail(Errc::InvalidArgument,
                    "\"" + std::string(text) + "\" matches several accounts: give more of the id");
      }
      if (match != nullptr) return match;
    }
    return fail(Errc::NotFound, "no account \"" + std::string(text) + "\"");
  }

  [[nodiscard]] bool nameTaken(std::string_view name, const Entry* except) const {
    for (const auto& entry : entries) {
      if (entry.get() != except && sameAccountName(nameOf(*entry), name)) return true;
    }
    for (const std::string& pending : pendingNames) {
      if (sameAccountName(pending, name)) return true;
    }
    return false;
  }

  [[nodiscard]] Result<std::string> checkName(std::string_view name, const Entry* except) const {
    CHORUS_TRY(normalized, normalizeAccountName(name));
    if (nameTaken(normalized, except)) {
      return fail(Errc::InvalidArgument, "an account named \"" + normalized + "\" exists already");
    }
    return normalized;
  }

  // Wires an opened account in and lists it.
  Entry& attach(std::unique_ptr<Account> account) {
    auto entry = std::make_unique<Entry>();
    entry->id = account->id();
    entry->folder = account->folder();
    entry->account = std::move(account);
    Account& opened = *entry->account;
    const api::AccountId id = entry->id;
    opened.setListener([this, id](const api::AccountEvent& event) { onAccountEvent(id, event); });
    if (transports) opened.setTransport(transports(opened));
    entries.push_back(std::move(entry));
    return *entries.back();
  }

  void attachBroken(const api::AccountId& id, Error problem) {
    auto entry = std::make_unique<Entry>();
    entry->id = id;
    entry->folder = accountsDir / id;
    entry->broken.id = id;
    entry->broken.name = id;
    if (std::optional<store::AccountMeta> meta = peekMeta(entry->folder)) {
      entry->broken.name = meta->name;
      entry->broken.maskedPhone = meta->maskedPhone;
      entry->broken.autoConnect = meta->autoConnect;
    }
    entry->broken.status.state = api::ConnectionState::Disconnected;
    entry->broken.status.reason = problem.detail;
    entry->broken.status.since = clock.now();
    entry->broken.problem = problem.detail.empty() ? errcName(problem.code) : problem.detail;
    entry->problem = std::move(problem);
    entries.push_back(std::move(entry));
  }

  void onAccountEvent(const api::AccountId& id, const api::AccountEvent& event) {
    emit(event);
    if (!std::holds_alternative<api::AccountLoggedOut>(event)) return;
    Entry* entry = byId(id);
    if (entry == nullptr || !entry->removing || !entry->account || !entry->removed) return;
    // Finish once the account is back from the input that logged it out: it is deleted then.
    entry->account->whenIdle([this, id] { finishRemove(id); });
  }

  void openNext(std::shared_ptr<std::vector<api::AccountId>> ids, std::size_t index,
                std::function<void(Status)> done) {
    if (index == ids->size()) {
      if (!ids->empty()) emit(api::AccountsChanged{});
      done(ok());
      return;
    }
    const api::AccountId id = (*ids)[index];
    Account::open(accountsDir / id, id, secrets, random, clock, options,
                  [this, ids, index, id, done](Result<std::unique_ptr<Account>> opened) {
                    if (opened) {
                      attach(std::move(*opened));
                    } else {
                      attachBroken(id, std::move(opened).error());
                    }
                    openNext(ids, index + 1, done);
                  });
  }

  // Closes, deletes the folder and the keychain entry, forgets the entry.
  void finishRemove(const api::AccountId& id) {
    Entry* entry = byId(id);
    if (entry == nullptr) return;
    std::function<void(Status)> done = std::exchange(entry->removed, {});
    if (entry->account) {
      entry->account->close();
      entry->broken = entry->account->summary();  // what is listed until it is gone
      entry->account.reset();
    }
    Status deleted = removeFolder(entry->folder);
    secrets.remove(store::dataKeySecretName(id), [this, id, deleted, done](Status forgotten) {
      Status result = deleted;
      if (result && !forgotten && forgotten.error().code != Errc::NotFound) {
        Error error = forgotten.error();
        error.detail =
            "the folder is deleted but the data key stays in the keychain: " + error.detail;
        result = Unexpected<Error>(std::move(error));
      }
      if (Entry* gone = byId(id); gone != nullptr) {
        if (deleted) {
          std::erase_if(entries, [&](const auto& e) { return e.get() == gone; });
        } else {
          // Still on disk: listed with what went wrong, so it can be removed again.
          gone->removing = false;
          gone->broken.status.state = api::ConnectionState::Disconnected;
          gone->broken.status.reason = deleted.error().detail;
          gone->broken.status.since = clock.now();
          gone->broken.problem = deleted.error().detail;
          gone->problem = deleted.error();
        }
      }
      emit(api::AccountsChanged{});
      if (done) done(result);
    });
  }

  fs::path accountsDir;
  store::SecretStore& secrets;
  Random& random;
  const Clock& clock;
  AccountOptions options;
  TransportFactory transports;
  AccountListener listener;
  std::vector<std::unique_ptr<Entry>> entries;
  std::set<std::string> pendingNames;  // adds waiting for the keychain
  bool started = false;
  bool destroying = false;
};

AccountRegistry::AccountRegistry(fs::path dataDir, store::SecretStore& secrets, Random& random,
                                 const Clock& clock, AccountOptions options,
                                 TransportFactory transports, AccountListener listener)
    : impl_(std::make_unique<Impl>(std::move(dataDir), secrets, random, clock, std::move(options),
                                   std::move(transports), std::move(listener))) {}

AccountRegistry::~AccountRegistry() {
  impl_->destroying = true;  // no events to a listener that may be going away too
  closeAll();
}

void AccountRegistry::load(std::function<void(Status)> done) {
  Impl& d = *impl_;
  if (Status ready = ensurePrivateFolder(d.accountsDir); !ready) {
    done(std::move(ready));
    return;
  }
  auto ids = std::make_shared<std::vector<api::AccountId>>();
  std::error_code ec;
  for (fs::directory_iterator it(d.accountsDir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code typeError;
    const std::string name = it->path().filename().string();
    if (isAccountId(name) && it->is_directory(typeError) && d.byId(name) == nullptr) {
      ids->push_back(name);
    }
  }
  if (ec) {
    done(fail(Errc::Io, "cannot read the folder " + d.accountsDir.string() + ": " + ec.message()));
    return;
  }
  std::sort(ids->begin(), ids->end());
  d.openNext(std::move(ids), 0, std::move(done));
}

void AccountRegistry::startAll() {
  Impl& d = *impl_;
  d.started = true;
  std::vector<api::AccountId> ids;
  for (const auto& entry : d.entries) ids.push_back(entry->id);
  for (const api::AccountId& id : ids) {
    // Looked up again each time: a listener may have changed the list meanwhile.
    if (Impl::Entry* entry = d.byId(id); entry != nullptr && entry->account && !entry->removing) {
      entry->account->start();
    }
  }
}

void AccountRegistry::add(std::string name, std::function<void(Result<api::AccountId>)> done) {
  Impl& d = *impl_;
  auto checked = d.checkName(name, nullptr);
  if (!checked) {
    done(Unexpected<Error>(std::move(checked).error()));
    return;
  }
  if (Status ready = ensurePrivateFolder(d.accountsDir); !ready) {
    done(Unexpected<Error>(std::move(ready).error()));
    return;
  }
  api::AccountId id = newAccountId(d.random);
  std::error_code ec;
  for (int attempt = 1; attempt < kMaxIdAttempts && fs::exists(d.accountsDir / id, ec); ++attempt) {
    id = newAccountId(d.random);
  }
  const std::string accepted = *checked;
  d.pendingNames.insert(accepted);
  Account::create(
      d.accountsDir / id, id, accepted, d.secrets, d.random, d.clock, d.options,
      [&d, accepted, id, done = std::move(done)](Result<std::unique_ptr<Account>> made) {
        d.pendingNames.erase(accepted);
        if (!made) {
          done(Unexpected<Error>(std::move(made).error()));
          return;
        }
        Account& account = *d.attach(std::move(*made)).account;
        d.emit(api::AccountsChanged{});
        if (d.started) account.start();
        done(id);
      });
}

Status AccountRegistry::rename(std::string_view account, std::string name) {
  Impl& d = *impl_;
  CHORUS_TRY(entry, d.lookup(account));
  if (!entry->account) return Unexpected<Error>(entry->problem);
  CHORUS_TRY(checked, d.checkName(name, entry));
  return entry->account->rename(std::move(checked));
}

void AccountRegistry::remove(std::string_view account, std::function<void(Status)> done) {
  Impl& d = *impl_;
  auto found = d.lookup(account);
  if (!found) {
    done(Unexpected<Error>(std::move(found).error()));
    return;
  }
  Impl::Entry& entry = **found;
  if (entry.removing) {
    done(fail(Errc::InvalidArgument, "this account is being removed already"));
    return;
  }
  entry.removing = true;
  entry.removed = std::move(done);
  const api::AccountId id = entry.id;
  if (!entry.account) {
    d.finishRemove(id);
  } else if (entry.account->isLinked() && !entry.closed) {
    // Tell the server first; the session bounds the wait and always ends in AccountLoggedOut.
    entry.account->logout();  // may finish (and delete the account) before it returns
  } else {
    entry.account->whenIdle([&d, id] { d.finishRemove(id); });
  }
}

Account* AccountRegistry::find(std::string_view account) {
  auto found = impl_->lookup(account);
  return found ? (*found)->account.get() : nullptr;
}

Result<Account*> AccountRegistry::resolve(std::string_view account) {
  CHORUS_TRY(entry, impl_->lookup(account));
  if (!entry->account) return Unexpected<Error>(entry->problem);
  return entry->account.get();
}

std::vector<api::AccountSummary> AccountRegistry::list() const {
  std::vector<api::AccountSummary> out;
  out.reserve(impl_->entries.size());
  for (const auto& entry : impl_->entries) {
    out.push_back(entry->account ? entry->account->summary() : entry->broken);
  }
  std::sort(out.begin(), out.end(), [](const api::AccountSummary& a, const api::AccountSummary& b) {
    const std::string fa = foldAccountName(a.name);
    const std::string fb = foldAccountName(b.name);
    return fa != fb ? fa < fb : a.id < b.id;
  });
  return out;
}

std::size_t AccountRegistry::size() const noexcept {
  return impl_->entries.size();
}

void AccountRegistry::onNetworkUp() {
  Impl& d = *impl_;
  std::vector<api::AccountId> ids;
  for (const auto& entry : d.entries) ids.push_back(entry->id);
  for (const api::AccountId& id : ids) {
    if (Impl::Entry* entry = d.byId(id); entry != nullptr && entry->account) {
      entry->account->onNetworkUp();
    }
  }
}

void AccountRegistry::closeAll() {
  Impl& d = *impl_;
  std::vector<api::AccountId> ids;
  for (const auto& entry : d.entries) ids.push_back(entry->id);
  for (const api::AccountId& id : ids) {
    if (Impl::Entry* entry = d.byId(id); entry != nullptr && entry->account) {
      entry->closed = true;
      entry->account->close();
    }
  }
}

}  // namespace chorus::core::account
